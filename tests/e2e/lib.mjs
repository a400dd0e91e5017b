// lib.mjs: what the browser tests share: TAP lines, a petitiond in
// development mode on a free port over a fresh database with the demo
// data, its mailbox (.eml files) read for links, screenshots, and
// Debian's Chromium.
//
// The database is the one PETITIOND_TEST_STORE says, as for the other
// tests (tests/store/store_fixture.h, tests/integration/harness.h): unset,
// empty or "sqlite", a SQLite file in the journey's temporary folder;
// else a store spec whose "{n}" becomes a number unique to this journey
// (<pid>_1), e.g. a PostgreSQL database of scripts/pg-cluster's, which
// `petitiond migrate` creates and the journey drops at its end (psql).
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";

const bin = resolve(process.env.PETITIOND || "build/test/petitiond");
const artifacts = resolve(process.env.E2E_ARTIFACTS || "build/test/e2e-artifacts");
const browserPath = process.env.CHROMIUM || "/usr/bin/chromium";
mkdirSync(artifacts, { recursive: true });

let n = 0;
let failures = 0;

const storeSetting = process.env.PETITIOND_TEST_STORE && process.env.PETITIOND_TEST_STORE !== "sqlite"
  ? process.env.PETITIOND_TEST_STORE : null;

// The engine of the journeys' databases: "sqlite" or "postgresql".
export const engine = storeSetting && /^postgres(ql)?:\/\//.test(storeSetting) ? "postgresql" : "sqlite";

// The --db of a new journey's database (dir: its temporary folder).
function dbSpec(dir) {
  if (!storeSetting) return join(dir, "db");
  return storeSetting.replace("{n}", `${process.pid}_1`);
}

// Drop a PostgreSQL database of dbSpec() (closing what is left on it),
// through the cluster's maintenance database.  A database's name is an
// identifier: ours are letters, digits and "_", quoted.
function dropDatabase(db) {
  const url = new URL(db);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`unexpected database name ${name}`);
  url.pathname = "/postgres";
  const r = spawnSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", url.href,
    "-c", `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`drop database ${name}: ${r.stderr || r.error}`);
}

// One TAP line; returns cond.
export function ok(cond, what) {
  n++;
  if (cond) console.log(`ok ${n} - ${what}`);
  else {
    failures++;
    console.log(`not ok ${n} - ${what}`);
  }
  return cond;
}

function run(args) {
  return new Promise((res, rej) => {
    const p = spawn(bin, args, { stdio: ["ignore", "pipe", "inherit"] });
    p.on("exit", (code) => (code === 0 ? res() : rej(new Error(`${args[0]} exited ${code}`))));
  });
}

// Start petitiond on a free port; resolves with its process and base URL.
// The logs' key is a file of the journey's (on either engine, so the
// e-petitions' logs are signed and receipts offered).
function serve(dir, db, extra = []) {
  return new Promise((res, rej) => {
    const p = spawn(bin, ["serve", "--listen", "127.0.0.1:0", "--db", db,
      "--dev", "--mail-dir", join(dir, "mail"), "--threads", "2",
      "--log-key", join(dir, "log-key"), ...extra],
    { stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    p.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/serving (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) res({ proc: p, base: m[1] });
    });
    p.on("exit", (code) => rej(new Error(`petitiond exited ${code}`)));
  });
}

// A whole message with its body decoded from quoted-printable (how
// petitiond sends every body: src/mail/message.h), its headers as they are.
export function decoded(text) {
  const end = text.indexOf("\r\n\r\n");
  if (end < 0 || !/\r\nContent-Transfer-Encoding: quoted-printable\r\n/i.test(text.slice(0, end + 2))) return text;
  const body = text.slice(end + 4).replace(/=\r\n/g, "");
  const bytes = [];
  for (let i = 0; i < body.length; i++) {
    if (body[i] === "=" && /^[0-9A-F]{2}$/.test(body.slice(i + 1, i + 3))) {
      bytes.push(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(body.charCodeAt(i));
    }
  }
  return text.slice(0, end + 4) + Buffer.from(bytes).toString("utf8");
}

// The newest e-mail of kind to address, waiting for the delivery thread;
// its body decoded.
export async function mail(dir, kind, to) {
  for (let i = 0; i < 200; i++) {
    const files = readdirSync(join(dir, "mail")).filter((f) => f.includes(kind) && f.endsWith(".eml")).sort().reverse();
    for (const f of files) {
      const text = readFileSync(join(dir, "mail", f), "utf8");
      if (text.split("\r\n").some((l) => l.startsWith("To:") && l.includes(to))) return decoded(text);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${kind} mail to ${to}`);
}

// The first link of a mail holding part.
export function link(text, part) {
  const m = text.match(new RegExp(`http://127\\.0\\.0\\.1:\\d+[^\\s]*${part}[^\\s]*`));
  return m ? m[0] : null;
}

// Fill a petition's sign form as who {first, last, email, province,
// postal, phone}, found by its labels in either language, both boxes
// ticked.
export async function fillSignForm(page, who) {
  await page.getByLabel(/^(First name|Prénom)/).fill(who.first);
  await page.getByLabel(/^(Last name|Nom de famille)/).fill(who.last);
  await page.getByLabel(/^(E-mail address|Adresse courriel|Courriel)/).fill(who.email);
  await page.getByLabel(/^(Province or territory|Province ou territoire)/).selectOption(who.province);
  await page.getByLabel(/^(Postal code|Code postal)/).fill(who.postal);
  await page.getByLabel(/^(Telephone|Téléphone)/).fill(who.phone);
  await page.getByLabel(/^(I am a citizen or resident of Canada|Je suis citoyen)/).check();
  await page.getByLabel(/^(I accept the terms of use for signatories|J’accepte les conditions)/).check();
}

export async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

// A screenshot of one element (a locator), e.g. a chart and its table.
export async function shotOf(locator, name) {
  await locator.screenshot({ path: join(artifacts, `${name}.png`) });
}

// Run journey(ctx) with ctx = {browser, base, dir}; prints the TAP plan
// and exits 1 when a check failed or the journey threw.  prepare(db,
// engine), when given, runs on the database (its --db: a file or a URI;
// engine as exported above) after the demo data is loaded and before
// petitiond serves it.  {browser: false}: no browser (ctx.browser is
// undefined), for journeys that only speak HTTP.  {serveArgs: [...]}:
// more arguments for petitiond serve (e.g. --trusted-proxy 127.0.0.1, so
// that a browser context's X-Forwarded-For gives a signer an address of
// its own, past the rate limits on one address).
export async function journey(fn, prepare, { browser: withBrowser = true, serveArgs = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "petitiond-e2e-"));
  mkdirSync(join(dir, "mail"));
  const db = dbSpec(dir);
  let server;
  let browser;
  try {
    await run(["migrate", "--db", db]);
    await run(["demo", "--db", db]);
    if (prepare) await prepare(db, engine);
    server = await serve(dir, db, serveArgs);
    const args = process.getuid && process.getuid() === 0 ? ["--no-sandbox"] : [];
    if (withBrowser) browser = await chromium.launch({ executablePath: browserPath, headless: true, args });
    await fn({ browser, base: server.base, dir });
  } catch (e) {
    ok(false, `the journey completes (${e.message.split("\n")[0]})`);
  } finally {
    if (browser) await browser.close();
    if (server && server.proc.exitCode === null && server.proc.signalCode === null) {
      // Gone before its database is dropped (SIGKILL after 10 s).
      const exited = new Promise((res) => server.proc.once("exit", res));
      server.proc.kill("SIGTERM");
      const timer = setTimeout(() => server.proc.kill("SIGKILL"), 10000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
    if (engine === "postgresql") {
      try {
        dropDatabase(db);
      } catch (e) {
        ok(false, `the journey's database is dropped (${e.message.split("\n")[0]})`);
      }
    }
  }
  plan();
}

// The TAP plan; exits 1 when a check failed.  For a test that is no
// journey (journey() ends with it).
export function plan() {
  console.log(`1..${n}`);
  process.exit(failures ? 1 : 0);
}

// axe-core's script (tests/e2e/node_modules, pinned in package.json),
// read once.
let axeSource = null;

// The id of the element that has the focus once it is want (autofocus
// is applied after the load event, later on a busy machine): waits up to
// 5 s for it, then says which has it.
export async function focusedId(page, want) {
  try {
    await page.waitForFunction((x) => document.activeElement && document.activeElement.id === x, want, { timeout: 5000 });
  } catch {
    // not within the time: the caller's check says what has the focus
  }
  return page.evaluate(() => document.activeElement && document.activeElement.id);
}

// Run axe-core on the page as it stands, against WCAG 2.0 and 2.1 A and
// AA and axe's best practices; one TAP line, failing on any violation of
// any impact, each printed (rule, impact, the elements' selectors, the
// help and its page) as TAP comments.  Returns the violations.
export async function axe(page, what) {
  if (!axeSource) axeSource = readFileSync(new URL("./node_modules/axe-core/axe.min.js", import.meta.url), "utf8");
  // Evaluated rather than added as a <script>: the pages' policy
  // (script-src 'self') refuses inline scripts, and rightly.
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
    resultTypes: ["violations"],
  }));
  const violations = result.violations;
  ok(violations.length === 0, `axe: ${what} (${page.url().replace(/^http:\/\/[^/]+/, "")}) has no violation` +
    (violations.length ? ` (${violations.map((v) => v.id).join(", ")})` : ""));
  for (const v of violations) {
    console.log(`#   ${v.id} (${v.impact}): ${v.help} <${v.helpUrl}>`);
    for (const node of v.nodes.slice(0, 8)) console.log(`#     ${node.target.join(" ")}`);
    if (v.nodes.length > 8) console.log(`#     ... and ${v.nodes.length - 8} more`);
  }
  return violations;
}
