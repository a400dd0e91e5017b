// signing.mjs: signing an open petition in a real browser, and confirming
// it from the e-mail (issue "signing a petition").
//
// On demo petition e-6512: a postal code of another province is refused
// beside its field with what was typed kept; a valid signature from
// Quebec gets "Check your e-mail"; the e-mailed link shows a Confirm
// button and opening it counts nothing; confirming grows the total and
// Quebec's row by one; signing again with the same address shows the same
// page; a French signature gets French pages and a French e-mail.
// The form sent empty (issue 20, item 1) comes back with the error
// summary focused, first in the main content, its title saying "Error: ",
// each link moving to its field; in French too.
// Fields are found by their labels.  Screenshots go to $E2E_ARTIFACTS.
import { fillSignForm as fill, journey, link, mail, ok, shot } from "./lib.mjs";

// The total and one region's count on a petition page (a fresh page, so
// nothing comes from the browser's cache).
async function counts(browser, url, region) {
  const page = await browser.newPage();
  await page.goto(url);
  const num = (s) => Number(s.replace(/[^0-9]/g, ""));
  const total = num(await page.locator("#signature-total").textContent());
  const row = page.locator("table.regions tbody tr").filter({ has: page.getByRole("rowheader", { name: region, exact: true }) });
  const count = num(await row.locator("td").textContent());
  await page.close();
  return { total, count };
}

await journey(async ({ browser, base, dir }) => {
  const url = `${base}/en/petitions/e-6512`;
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  await page.goto(url);
  ok(await page.getByRole("heading", { name: "Sign this petition" }).isVisible(), "the open petition's page has the sign form");
  await shot(page, "11-sign-form-en");

  // Sent empty: the error summary has the focus, before the petition's
  // text, and each of its links leads to its field.
  for (const [lang, button, prefix] of [["fr", "Signer la pétition", "Erreur : "], ["en", "Sign the petition", "Error: "]]) {
    await page.goto(`${base}/${lang}/petitions/e-6512`);
    await page.getByRole("button", { name: button }).click();
    await page.waitForLoadState("load");
    const focused = await focusedId(page, "error-summary");
    ok(focused === "error-summary", `${lang}: after the empty sign form, the error summary has the focus (${focused})`);
    ok((await page.title()).startsWith(prefix), `${lang}: the title begins "${prefix}"`);
    const first = await page.evaluate(() => document.querySelector("main").firstElementChild.id);
    ok(first === "error-summary", `${lang}: the summary is the main content's first element (${first})`);
    const box = await page.locator("#error-summary").boundingBox();
    ok(box && box.y >= 0 && box.y < 900, `${lang}: the summary is in view (y = ${box && box.y})`);
    const links = page.locator("#error-summary a");
    const n = await links.count();
    ok(n >= 5, `${lang}: the summary lists each missing field (${n})`);
    await links.first().click();
    const target = await page.evaluate(() => document.activeElement && document.activeElement.id);
    ok(target === "f-first_name", `${lang}: the first link moves the focus to its field (${target})`);
    if (lang === "en")
      await shot(page, "11b-sign-empty-en");
  }

  // A postal code of another province is refused beside the field.
  const lea = { first: "Léa", last: "Gagnon", email: "lea@e2e.example", province: "ON", postal: "H2X 1Y4", phone: "514-555-0199" };
  await fill(page, lea);
  await page.getByRole("button", { name: "Sign the petition" }).click();
  const err = page.locator("#f-postal_code-error");
  ok(await err.isVisible() && (await err.textContent()).includes("not in the province"), "a postal code of another province is refused beside it");
  ok((await page.getByLabel(/^Last name/).inputValue()) === "Gagnon", "what was typed is kept");
  await shot(page, "12-sign-refused-en");

  const before = await counts(browser, url, "Quebec");
  await page.getByLabel(/^Province or territory/).selectOption("QC");
  await page.getByLabel(/^I am a citizen or resident of Canada/).check();
  await page.getByLabel(/^I accept the terms of use for signatories/).check();
  await page.getByRole("button", { name: "Sign the petition" }).click();
  ok(await page.getByRole("heading", { name: "Check your e-mail" }).isVisible(), "a valid signature asks to check the e-mail");
  const firstAnswer = await page.locator("main").textContent();

  // The e-mailed link: a page with a button; opening it counts nothing.
  const confirmUrl = link(await mail(dir, "signature-confirm", "lea@e2e.example"), "/signatures/");
  const confirmPage = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  await confirmPage.goto(confirmUrl);
  ok(await confirmPage.getByRole("button", { name: "Confirm my signature" }).isVisible(), "the e-mailed link shows a Confirm button");
  ok(await confirmPage.getByText("Signatory:").isVisible() && !(await confirmPage.getByText("Supporter:").count()), "the confirm page names the signatory, not a supporter");
  await shot(confirmPage, "13-confirm-en");
  const opened = await counts(browser, url, "Quebec");
  ok(opened.total === before.total && opened.count === before.count, "opening the link counts nothing");
  await confirmPage.getByRole("button", { name: "Confirm my signature" }).click();
  ok(await confirmPage.getByRole("heading", { name: "Thank you for signing" }).isVisible(), "confirming thanks the signer");

  const after = await counts(browser, url, "Quebec");
  ok(after.total === before.total + 1, `the total grew by one (${before.total} to ${after.total})`);
  ok(after.count === before.count + 1, `Quebec's row grew by one (${before.count} to ${after.count})`);
  const shown = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  await shown.goto(url);
  await shot(shown, "14-counted-en");

  // Signing again with the same address: the very same answer.
  await page.goto(url);
  await fill(page, { ...lea, province: "QC" });
  await page.getByRole("button", { name: "Sign the petition" }).click();
  ok(await page.getByRole("heading", { name: "Check your e-mail" }).isVisible() &&
     (await page.locator("main").textContent()) === firstAnswer, "signing twice shows the same page");

  // In French: French labels, a French e-mail and French thanks.
  const fr = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  await fr.goto(`${base}/fr/petitions/e-6512`);
  ok(await fr.getByRole("heading", { name: "Signer cette pétition" }).isVisible(), "the French page has the French form");
  await fill(fr, { first: "Émile", last: "Cormier", email: "emile@e2e.example", province: "NB", postal: "E1A 1A1", phone: "506-555-0123" });
  await shot(fr, "15-sign-form-fr");
  await fr.getByRole("button", { name: "Signer la pétition" }).click();
  ok(await fr.getByRole("heading", { name: "Consultez vos courriels" }).isVisible(), "the French answer is in French");
  const frMail = await mail(dir, "signature-confirm", "emile@e2e.example");
  ok(frMail.includes("Content-Language: fr") && link(frMail, "/fr/signatures/") !== null, "the French signer's e-mail is French");
  await fr.goto(link(frMail, "/fr/signatures/"));
  await fr.getByRole("button", { name: "Confirmer ma signature" }).click();
  ok(await fr.getByRole("heading", { name: "Merci d’avoir signé" }).isVisible(), "confirming in French thanks in French");
  await shot(fr, "16-confirmed-fr");
});
