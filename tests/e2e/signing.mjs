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
// Issue 20, item 5: the limit stated beside a field and given to the
// browser (maxlength); switching language in the middle of the form, and
// after a refusal, keeps what was typed; the confirmation's thanks is a
// page of its own (Post/Redirect/Get), which a reload does not send again.
// Back after a corrected form lands on the petition's page by GET,
// never on a resubmission prompt (Post/Redirect/Get for refusals too).
// Item 6: on a 390 px phone the status, the count and the link to the
// form come before the text; the form's targets are at least 24 × 24 px.
// Fields are found by their labels.  Screenshots go to $E2E_ARTIFACTS.
import { fillSignForm as fill, focusedId, journey, link, mail, ok, shot } from "./lib.mjs";

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
  // Post/Redirect/Get (issue 20, item 5): the thanks is a GET, so Back and
  // reload never send the confirmation again.
  ok(/\/en\/signatures\/\d+\?t=[^&]+&done=1$/.test(confirmPage.url()), `the thanks is a page of its own (${confirmPage.url()})`);
  await confirmPage.reload();
  ok(await confirmPage.getByRole("heading", { name: "Thank you for signing" }).isVisible(), "reloading the thanks sends nothing and still thanks");

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

  // Phones (issue 20, item 6): at 390 px the status, the count and the way
  // to sign come before the petition's text, and every box, radio button,
  // button and link of the sign form is at least 24 × 24 px.
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await phone.goto(url);
  const textBox = await phone.locator(".petition-text").boundingBox();
  const shownCount = phone.locator("[data-count-total]").filter({ visible: true }).first();
  const countBox = await shownCount.boundingBox();
  ok(countBox && textBox && countBox.y + countBox.height <= textBox.y, `on a phone the count is above the text (${countBox && countBox.y} < ${textBox && textBox.y})`);
  const statusBox = await phone.locator(".status").filter({ visible: true }).first().boundingBox();
  ok(statusBox && statusBox.y < textBox.y, "and so is the status");
  const toSign = phone.getByRole("link", { name: "Sign this petition" });
  ok((await toSign.count()) === 1 && (await toSign.boundingBox()).y < textBox.y, "and the link to the sign form");
  const small = await phone.evaluate(() => Array.from(document.querySelectorAll(
    "#sign input[type=checkbox], #sign input[type=radio], #sign button, #sign a")).map((el) => {
    const r = el.getBoundingClientRect();
    return { what: el.id || el.textContent.trim(), w: Math.round(r.width * 10) / 10, h: Math.round(r.height * 10) / 10 };
  }));
  ok(small.length >= 4, `the sign form's boxes, button and links are measured (${small.length})`);
  const tooSmall = small.filter((b) => b.w < 24 || b.h < 24);
  ok(tooSmall.length === 0, `each is at least 24 × 24 px (${JSON.stringify(tooSmall)})`);
  await shot(phone, "11c-petition-phone-en");
  await phone.close();

  // Limits stated and enforced by the browser, and switching language in
  // the middle of the form keeps what was typed, also after a refusal
  // (issue 20, item 5).
  const sw = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  await sw.goto(url);
  ok((await sw.getByLabel(/^First name/).getAttribute("maxlength")) === "100", "the first name's limit is given to the browser");
  ok((await sw.locator("#f-first_name-limit").textContent()) === "At most 100 characters.", "and stated beside the field");
  const typed = async (p) => [
    await p.getByLabel(/^(First name|Prénom)/).inputValue(),
    await p.getByLabel(/^(Last name|Nom de famille)/).inputValue(),
    await p.getByLabel(/^(E-mail address|Adresse courriel|Courriel)/).inputValue(),
    await p.getByLabel(/^(Province or territory|Province ou territoire)/).inputValue(),
    await p.getByLabel(/^(I am a citizen or resident of Canada|Je suis citoyen)/).isChecked(),
  ].join("|");
  await sw.getByLabel(/^First name/).fill("Zoé");
  await sw.getByLabel(/^Last name/).fill("Switcher");
  await sw.getByLabel(/^E-mail address/).fill("zoe.switch@e2e.example");
  await sw.getByLabel(/^Province or territory/).selectOption("NB");
  await sw.getByLabel(/^I am a citizen or resident of Canada/).check();
  const want = "Zoé|Switcher|zoe.switch@e2e.example|NB|true";
  await sw.locator("a.lang-toggle").click();
  await sw.waitForURL(/\/fr\/petitions\/e-6512/);
  await sw.waitForLoadState("load");
  ok((await typed(sw)) === want, `switching to French keeps what was typed (${await typed(sw)})`);
  await sw.getByRole("button", { name: "Signer la pétition" }).click();
  await sw.waitForLoadState("load");
  ok(await sw.locator("#error-summary").isVisible(), "the French form is refused (no telephone)");
  await sw.locator("a.lang-toggle").click();
  await sw.waitForURL(/\/en\/petitions\/e-6512/);
  await sw.waitForLoadState("load");
  ok((await typed(sw)) === want, `switching back to English after the refusal keeps it too (${await typed(sw)})`);
  await sw.goto(url);
  ok((await sw.getByLabel(/^First name/).inputValue()) === "", "and once put back, it is forgotten");
  await sw.close();

  // The Back button after a corrected form (issue 20, item 5): the refusal
  // is the petition's page reached by GET (Post/Redirect/Get, the typed
  // values kept in a sealed cookie), so a reload keeps what was typed and
  // going back from "Check your e-mail" is a GET of the petition's page,
  // never the browser's "Confirm Form Resubmission" (net::ERR_CACHE_MISS).
  const back = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  await back.goto(url);
  await back.getByLabel(/^First name/).fill("Bao");
  await back.getByRole("button", { name: "Sign the petition" }).click();
  await back.waitForLoadState("load");
  ok(back.url() === `${url}?refused=1`, `the refusal is the petition's own page, by GET (${back.url()})`);
  ok(await back.locator("#error-summary").isVisible(), "the empty form is refused with the error summary");
  ok((await back.title()).startsWith("Error: "), "its title says Error");
  await back.reload();
  ok(await back.locator("#error-summary").isVisible() && (await back.getByLabel(/^First name/).inputValue()) === "Bao",
     "a reload of the refused page keeps the summary and what was typed");
  await fill(back, { first: "Bao", last: "Tran", email: "bao.back@e2e.example", province: "ON", postal: "K1A 0A6", phone: "613-555-0142" });
  await back.getByRole("button", { name: "Sign the petition" }).click();
  ok(await back.getByRole("heading", { name: "Check your e-mail" }).isVisible(), "the corrected form is taken");
  let wentBack = null, backError = "";
  try {
    wentBack = await back.goBack({ waitUntil: "load" });
  } catch (e) {
    backError = String(e.message || e);
  }
  ok(backError === "", `Back after the corrected form navigates (${backError || "ok"})`);
  ok(!/ERR_CACHE_MISS/.test(backError) && !(await back.content()).includes("ERR_CACHE_MISS"), "and shows no resubmission page");
  ok(back.url() === `${url}?refused=1`, `Back lands on the petition's page (${back.url()})`);
  ok(!wentBack || wentBack.request().method() === "GET", "by a GET");
  ok(await back.getByRole("heading", { name: "Sign this petition" }).isVisible(), "whose sign form is there");
  ok((await back.locator("#error-summary").count()) === 0 && (await back.getByLabel(/^First name/).inputValue()) === "",
     "empty, the refusal forgotten once the form was taken");
  await back.close();

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
