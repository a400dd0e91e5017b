// charts.mjs: the pictures of the public pages in a real browser (issue 7,
// item 6): on a petition's page the bars by province or territory beside
// the regions table and the line of signatures day by day with its table
// of days; on the home page the map of where this week's signatures come
// from; in English and French, on a wide screen and a phone.
//
// Before petitiond starts, a few weeks of days are written into
// petition_days for the open demo petitions (e-6512, e-6478) with the
// engine's shell (sqlite3, or psql on PostgreSQL: the same rows), inside
// their demo totals, as the signature writer would have.  Each chart must be visible with a non-zero size, be an image
// named by its title, fit its column, and have no text drawn over other
// text (every pair of <text> boxes is compared); one more signature,
// signed and confirmed here, moves the end of the line.  Screenshots of
// each chart go to $E2E_ARTIFACTS (21-... to 28-...): look at them.
import { spawnSync } from "node:child_process";
import { journey, link, mail, ok, shot, shotOf } from "./lib.mjs";

// The weights by region and the days, in SQL both engines run.
const days = `
CREATE TEMP TABLE w (region TEXT, pct INTEGER);
INSERT INTO w VALUES ('ON', 38), ('QC', 17), ('BC', 15), ('AB', 11), ('MB', 5), ('NS', 4),
                     ('SK', 3), ('NB', 2), ('NL', 1), ('PE', 1), ('XX', 3);
CREATE TEMP TABLE v (petition INTEGER, ago INTEGER, n INTEGER);
INSERT INTO v VALUES (6512, 11, 4), (6512, 10, 9), (6512, 9, 15), (6512, 8, 22),
  (6512, 7, 18), (6512, 6, 12), (6512, 5, 9), (6512, 4, 14), (6512, 3, 25),
  (6512, 2, 31), (6512, 1, 17), (6512, 0, 8),
  (6478, 6, 20), (6478, 5, 35), (6478, 4, 12), (6478, 2, 40), (6478, 1, 22);
`;

// The day ago days before today in Eastern time (UTC - 5 h), as text, in
// each engine's SQL.
const dayAgo = {
  sqlite: "date('now', '-5 hours', '-' || v.ago || ' days')",
  postgresql: "to_char((now() AT TIME ZONE 'UTC') - interval '5 hours' - v.ago * interval '1 day', 'YYYY-MM-DD')",
};

const seed = (engine) => `${days}
INSERT INTO petition_days (petition_id, day, region, delta)
SELECT p.id, ${dayAgo[engine]}, w.region, (v.n * w.pct + 50) / 100
  FROM v JOIN petitions p ON p.e_number = v.petition, w
 WHERE (v.n * w.pct + 50) / 100 > 0;
`;

function prepare(db, engine) {
  const [shell, args] = engine === "postgresql"
    ? ["psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", db]]
    : ["sqlite3", [db]];
  const r = spawnSync(shell, args, { input: seed(engine), encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${shell}: ${r.stderr || r.error}`);
}

const num = (s) => Number(String(s).replace(/[^0-9]/g, ""));

// The chart's size, how far it sticks out of its column, and how many
// pairs of its <text> boxes overlap (a 1-pixel margin for antialiasing).
async function measure(svg) {
  return svg.evaluate((el) => {
    const box = el.getBoundingClientRect();
    const column = el.parentElement.getBoundingClientRect();
    const texts = [...el.querySelectorAll("text")].map((t) => t.getBoundingClientRect());
    let overlaps = 0;
    for (let i = 0; i < texts.length; i++)
      for (let j = i + 1; j < texts.length; j++) {
        const a = texts[i], b = texts[j];
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
          overlaps++;
      }
    // Text that leaves the drawing is cut off.
    let outside = 0;
    for (const t of texts)
      if (t.left < box.left - 1 || t.right > box.right + 1 || t.top < box.top - 1 || t.bottom > box.bottom + 1)
        outside++;
    const smallest = Math.min(...[...el.querySelectorAll("text")].map((t) => parseFloat(getComputedStyle(t).fontSize) * box.width / el.viewBox.baseVal.width));
    return { width: box.width, height: box.height, overflow: box.right - column.right, texts: texts.length, overlaps, outside, smallest };
  });
}

async function checkChart(svg, what) {
  ok(await svg.isVisible(), `${what}: the chart is visible`);
  const m = await measure(svg);
  ok(m.width > 100 && m.height > 100, `${what}: it has a size (${Math.round(m.width)}×${Math.round(m.height)} px)`);
  ok(m.overflow <= 1, `${what}: it fits its column`);
  ok(m.texts > 0 && m.overlaps === 0, `${what}: none of its ${m.texts} labels is drawn over another`);
  ok(m.outside === 0, `${what}: no label is cut off at its edges`);
  ok(m.smallest >= 10, `${what}: its smallest text is readable (${m.smallest.toFixed(1)} px)`);
  return m;
}

// Each tile's code and number sit inside its square.
async function tilesHoldTheirText(svg) {
  return svg.evaluate((el) => [...el.querySelectorAll("g.chart-tile")].every((g) => {
    const r = g.querySelector("rect").getBoundingClientRect();
    return [...g.querySelectorAll("text")].every((t) => {
      const b = t.getBoundingClientRect();
      return b.left >= r.left && b.right <= r.right && b.top >= r.top && b.bottom <= r.bottom;
    });
  }));
}

await journey(async ({ browser, base, dir }) => {
  const url = `${base}/en/petitions/e-6512`;
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  await page.goto(url);
  const facts = page.locator("section.signatures");

  // The bars beside the regions table.
  const bars = page.getByRole("img", { name: /^Signatures by province and territory/ });
  await checkChart(bars, "e-6512 bars");
  const barsName = await bars.evaluate((el) => el.querySelector("desc").textContent);
  ok(barsName.startsWith("Signatures by province and territory: Ontario 164, British Columbia 52"), "the bars' description states the numbers, largest first");
  ok(await page.locator("table.regions caption").isVisible(), "the regions table stays beside the bars, with its caption");

  // The line of the days, ending at the total shown.
  const line = page.getByRole("img", { name: /^Signatures over time/ });
  await checkChart(line, "e-6512 line");
  const total = num(await page.locator("#signature-total").textContent());
  ok(num(await line.locator("text.chart-value").textContent()) === total, `the line ends at the total shown (${total})`);
  ok(await page.getByText(/signatures counted before daily figures were kept/).isVisible(), "the signatures from before the days are explained");
  await shotOf(facts, "21-petition-charts-en");

  // Its table of days, behind "Signatures per day".
  await page.getByText("Signatures per day", { exact: true }).first().click();
  const days = page.locator("details.chart-data table");
  ok(await days.isVisible(), "the table of days opens");
  const rows = await days.locator("tbody tr").count();
  ok(rows >= 10, `it lists the days that changed (${rows})`);
  const lastRow = days.locator("tbody tr").last();
  ok(num(await lastRow.locator("td").last().textContent()) === total, "its last total is the petition's total");
  await shotOf(page.locator("details.chart-data"), "22-petition-days-table-en");
  await shot(page, "23-petition-en");

  // One more signature, confirmed from its e-mail, moves the end of the line.
  await page.goto(url);
  await page.getByLabel(/^First name/).fill("Nanuq");
  await page.getByLabel(/^Last name/).fill("Kilabuk");
  await page.getByLabel(/^E-mail address/).fill("nanuq@e2e.example");
  await page.getByLabel(/^Province or territory/).selectOption("NU");
  await page.getByLabel(/^Postal code/).fill("X0A 0H0");
  await page.getByLabel(/^Telephone/).fill("867-555-0142");
  await page.getByLabel(/^I am a citizen or resident of Canada/).check();
  await page.getByLabel(/^I accept the terms of use for signatories/).check();
  await page.getByRole("button", { name: "Sign the petition" }).click();
  ok(await page.getByRole("heading", { name: "Check your e-mail" }).isVisible(), "a signature from Nunavut is taken");
  await page.goto(link(await mail(dir, "signature-confirm", "nanuq@e2e.example"), "/signatures/"));
  await page.getByRole("button", { name: "Confirm my signature" }).click();
  ok(await page.getByRole("heading", { name: "Thank you for signing" }).isVisible(), "and confirmed");
  const after = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  await after.goto(url);
  const afterLine = after.getByRole("img", { name: /^Signatures over time/ });
  ok(num(await afterLine.locator("text.chart-value").textContent()) === total + 1, `the line now ends at ${total + 1}`);
  const nunavut = await after.getByRole("img", { name: /^Signatures by province and territory/ }).evaluate((el) => el.querySelector("desc").textContent);
  ok(nunavut.includes("Nunavut 1"), "and Nunavut has its bar");

  // In French.
  const fr = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  await fr.goto(`${base}/fr/petitions/e-6512`);
  await checkChart(fr.getByRole("img", { name: /^Signatures par province et territoire/ }), "e-6512 bars (fr)");
  await checkChart(fr.getByRole("img", { name: /^Signatures au fil du temps/ }), "e-6512 line (fr)");
  await shotOf(fr.locator("section.signatures"), "24-petition-charts-fr");

  // On a phone, the same charts fill the width.
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await phone.goto(url);
  await checkChart(phone.getByRole("img", { name: /^Signatures by province and territory/ }), "e-6512 bars (phone)");
  await checkChart(phone.getByRole("img", { name: /^Signatures over time/ }), "e-6512 line (phone)");
  await shotOf(phone.locator("section.signatures"), "25-petition-charts-phone");

  // e-2829, imported with its totals only: the bars, no line.
  const closed = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  await closed.goto(`${base}/en/petitions/e-2829`);
  await checkChart(closed.getByRole("img", { name: /^Signatures by province and territory/ }), "e-2829 bars");
  ok(await closed.locator("svg.chart-line").count() === 0, "e-2829 has no line: no days are known");
  await shotOf(closed.locator("section.signatures"), "26-petition-charts-e2829");

  // The home page: where this week's signatures come from.
  for (const [lang, name, shotName] of [["en", /^Signatures of the last 7 days/, "27-home-week-en"],
    ["fr", /^Signatures des 7 derniers jours/, "28-home-week-fr"]]) {
    const home = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await home.goto(`${base}/${lang}`);
    const map = home.getByRole("img", { name });
    await checkChart(map, `home map (${lang})`);
    ok(await tilesHoldTheirText(map), `home map (${lang}): every tile holds its code and number`);
    const tiles = await map.locator("g.chart-tile text.chart-value").allTextContents();
    const sum = tiles.reduce((s, t) => s + num(t), 0);
    const shown = num(await home.locator("section.week-chart tfoot td").textContent());
    ok(tiles.length === 14 && sum === shown && shown > 0, `home map (${lang}): 14 tiles adding up to the table's total (${shown})`);
    await shotOf(home.locator("section.week-chart"), shotName);
  }
}, prepare);
