// a11y.mjs: accessibility proven in the browser (issue 20, item 11).
//
// axe-core (pinned in package.json) runs inside Chromium on every page
// template, in English and in French: the public pages (home, the lists
// with their filters and a search, petitions in each state, the sign
// form and its refusal, the pages after signing, keywords, subjects, the
// information pages, check my signature and its answer, a 404, old
// e-mailed links), the account pages
// (registration, sign-in, the forgotten password and their refusals, the
// account, drafting, the questions before submitting and withdrawing, a
// supporter's form), and the staff's pages signed in as the demo staff
// (the Member, the Clerk's review, signatures, House, calendar, rules and
// paper petitions with their questions, the responder, the
// administrator).  Each page fails on any violation of WCAG 2.0/2.1 A and
// AA or of axe's best practices, whatever its impact (lib.mjs, axe()).
//
// Hints are tied to their fields (aria-describedby: the error, then the
// hint).  Then signing by keyboard alone: Tab to each field of e-6478's form,
// type, Space on the check boxes, Enter on the button; sent empty, the
// error summary takes the focus; then a correct signature is accepted.
import { axe, focusedId, journey, link, mail, ok } from "./lib.mjs";

const langs = ["en", "fr"];
const view = { viewport: { width: 1100, height: 900 } };

// Open path and run axe on it.
async function check(page, base, path, what) {
  await page.goto(base + path);
  await axe(page, what);
}

// A question before an act that cannot be undone (web/confirm.h): its
// form is on the page, then axe.
async function question(page, base, path, what) {
  await page.goto(base + path);
  ok(await page.locator("main form.confirm").count() === 1, `${what}: the question is asked`);
  await axe(page, what);
}

// Send the page's main form as it is (the browser's own checks off, so
// the server's refusal is what is checked) and run axe on the answer.
async function refused(page, base, path, what, button, prep) {
  await page.goto(base + path);
  if (prep) await prep(page);
  await page.evaluate(() => document.querySelectorAll("main form").forEach((f) => { f.noValidate = true; }));
  const b = button ? page.getByRole("button", { name: button, exact: true }) : page.locator("main form.form button[type=submit]").first();
  await Promise.all([page.waitForLoadState("load"), b.click()]);
  await page.waitForLoadState("load");
  ok(await page.locator("#error-summary").count() === 1, `${what}: the refusal shows the error summary`);
  await axe(page, what);
}

// A new browser context signed in as email.
async function signIn(browser, base, email, password) {
  const ctx = await browser.newContext(view);
  const page = await ctx.newPage();
  await page.goto(`${base}/en/sign-in`);
  await page.locator("#f-email").fill(email);
  await page.locator("#f-password").fill(password);
  await Promise.all([page.waitForURL((u) => !u.pathname.endsWith("/sign-in")), page.locator("main form button[type=submit]").click()]);
  return page;
}

// The href of the first link in path's main content whose address holds
// part, made a path of language l.
async function firstLink(page, base, path, part, l) {
  await page.goto(base + path);
  const href = await page.locator(`main a[href*='${part}']`).first().getAttribute("href");
  return href.replace(/^\/(en|fr)\//, `/${l}/`);
}

// Tab until the element with id has the focus; false after 150 presses.
async function tabTo(page, id) {
  for (let i = 0; i < 150; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate((x) => document.activeElement && document.activeElement.id === x, id)) return true;
  }
  return false;
}

async function tabToButton(page, name) {
  for (let i = 0; i < 150; i++) {
    await page.keyboard.press("Tab");
    const t = await page.evaluate(() => document.activeElement && document.activeElement.tagName === "BUTTON" ? document.activeElement.textContent.trim() : null);
    if (t === name) return true;
  }
  return false;
}

await journey(async ({ browser, base, dir }) => {
  const anon = await browser.newPage(view);

  // ---- public pages ----
  await check(anon, base, "/", "the choice of language");
  for (const l of langs) {
    await check(anon, base, `/${l}`, `${l}: home`);
    await check(anon, base, `/${l}/petitions`, `${l}: the list`);
    await check(anon, base, `/${l}/petitions?status=open&type=electronic&sort=most-signatures`, `${l}: the list filtered`);
    await check(anon, base, `/${l}/petitions?q=belarus`, `${l}: a search`);
    await check(anon, base, `/${l}/petitions?q=zzzzqqq`, `${l}: a search that finds nothing`);
    await check(anon, base, `/${l}/petitions/not-accepted`, `${l}: the petitions not accepted`);
    await check(anon, base, `/${l}/petitions/overdue`, `${l}: the overdue responses`);
    for (const [num, what] of [["e-2829", "with a response"], ["e-6512", "open"], ["e-6390", "waiting for certification"],
      ["e-6277", "certified"], ["e-5921", "not certified"], ["e-6104", "presented"], ["e-3512", "closed upon dissolution"],
      ["e-4712", "not answered before dissolution"], ["441-01211", "on paper, answered"]])
      await check(anon, base, `/${l}/petitions/${num}`, `${l}: a petition ${what} (${num})`);
    await check(anon, base, `/${l}/petitions/e-6277/certificate`, `${l}: a certificate`);
    await refused(anon, base, `/${l}/petitions/e-6512`, `${l}: the sign form sent empty`, l === "en" ? "Sign the petition" : "Signer la pétition");
    // Over the body limit (issue 20, item 5): the form again with what fits
    // of the 70,000 characters (set by script, past the field's maxlength).
    await refused(anon, base, `/${l}/petitions/e-6512`, `${l}: the sign form over the limit`, l === "en" ? "Sign the petition" : "Signer la pétition",
      (p) => p.evaluate(() => { document.getElementById("f-last_name").value = "L".repeat(70000); }));
    await check(anon, base, `/${l}/keywords`, `${l}: the keywords`);
    await check(anon, base, `/${l}/keywords/belarus`, `${l}: a keyword`);
    await check(anon, base, `/${l}/subjects`, `${l}: the subjects`);
    await check(anon, base, `/${l}/subjects/foreign-affairs`, `${l}: a subject`);
    for (const p of ["privacy", "terms", "help", "accessibility", "contact"])
      await check(anon, base, `/${l}/${p}`, `${l}: ${p}`);
    // Check my signature, then its answer to text that is no receipt
    // (written by static/verify.js).
    await check(anon, base, `/${l}/verify`, `${l}: check my signature`);
    await anon.locator("#verify-text").fill("not a receipt");
    await anon.locator("#verify-form button[type=submit]").click();
    await anon.locator("#verify-result").waitFor({ state: "visible" });
    await axe(anon, `${l}: check my signature, a text that is no receipt`);
    await check(anon, base, `/${l}/no-such-page`, `${l}: a page not found`);
    await check(anon, base, `/${l}/petitions/e-0001`, `${l}: a petition not found`);
    await check(anon, base, `/${l}/signatures/not-a-token`, `${l}: an unknown signature link`);
    await check(anon, base, `/${l}/account/activate?token=not-a-token`, `${l}: an unknown activation link`);
    await check(anon, base, `/${l}/password/reset?token=not-a-token`, `${l}: an unknown password-reset link`);
    await check(anon, base, `/${l}/support/not-a-token`, `${l}: an unknown invitation link`);
    await check(anon, base, `/${l}/stop/1/not-a-token`, `${l}: an unknown link to stop mail`);
    await check(anon, base, `/${l}/register`, `${l}: registration`);
    await refused(anon, base, `/${l}/register`, `${l}: registration sent empty`);
    // Hints are tied to their fields, after the error when there is one.
    const described = await anon.locator("#f-password").getAttribute("aria-describedby");
    ok(described === "f-password-error f-password-hint" && await anon.locator("#f-password-hint").count() === 1,
      `${l}: the refused password is described by its error and its hint (${described})`);
    await anon.goto(`${base}/${l}/register`);
    ok(await anon.locator("#f-password").getAttribute("aria-describedby") === "f-password-hint",
      `${l}: the password is described by its hint`);
    await check(anon, base, `/${l}/sign-in`, `${l}: sign-in`);
    await refused(anon, base, `/${l}/sign-in`, `${l}: sign-in sent empty`);
    await check(anon, base, `/${l}/password/forgot`, `${l}: forgotten password`);
    await refused(anon, base, `/${l}/password/forgot`, `${l}: forgotten password sent empty`);
    await check(anon, base, `/${l}/account`, `${l}: the account, signed out`);
  }

  // Signing, then the e-mailed link, its question and the thanks.
  for (const l of langs) {
    const who = `axe-${l}@e2e.example`;
    await anon.goto(`${base}/${l}/petitions/e-6512`);
    await anon.locator("#f-first_name").fill("Alex");
    await anon.locator("#f-last_name").fill("Martin");
    await anon.locator("#f-email").fill(who);
    await anon.locator("#f-province").selectOption("QC");
    await anon.locator("#f-postal_code").fill("H2X 1Y4");
    await anon.locator("#f-phone").fill("514-555-0101");
    for (const c of await anon.locator("main form input[type=checkbox]").all()) await c.check();
    await Promise.all([anon.waitForURL(/check-email/), anon.locator("main form.form button[type=submit]").click()]);
    await axe(anon, `${l}: check your e-mail, after signing`);
    await anon.goto(link(await mail(dir, "signature-confirm", who), `/${l}/signatures/`));
    await axe(anon, `${l}: the signature's confirmation question`);
    await Promise.all([anon.waitForLoadState("load"), anon.locator("main form button[type=submit]").click()]);
    await axe(anon, `${l}: thank you for signing`);
  }

  // ---- a petitioner: registration to the Clerk's review ----
  await anon.goto(`${base}/en/register`);
  for (const [id, v] of [["first_name", "Rosa"], ["last_name", "Tremblay"], ["city", "Sudbury"], ["postal_code", "P3A 1A1"],
    ["phone", "705-555-0147"], ["email", "rosa@e2e.example"], ["password", "correct horse battery"]])
    await anon.locator(`#f-${id}`).fill(v);
  await anon.locator("#f-province").selectOption("ON");
  for (const c of await anon.locator("main form input[type=checkbox]").all()) await c.check();
  await Promise.all([anon.waitForLoadState("load"), anon.locator("main form.form button[type=submit]").click()]);
  await axe(anon, "en: check your e-mail, after registering");
  await anon.goto(link(await mail(dir, "account-activation", "rosa@e2e.example"), "/account/activate"));
  await axe(anon, "en: the account is active");

  const rosa = await signIn(browser, base, "rosa@e2e.example", "correct horse battery");
  for (const l of langs) {
    await check(rosa, base, `/${l}/account`, `${l}: the account, no petition yet`);
    await check(rosa, base, `/${l}/account/petition`, `${l}: the drafting form`);
    await refused(rosa, base, `/${l}/account/petition`, `${l}: the drafting form refused`, null,
      (p) => p.locator("#f-prayer").fill("See www.example.ca for what we ask."));
  }
  await rosa.goto(`${base}/en/account/petition`);
  await rosa.getByLabel("Whereas clause 1").fill("Northern communities pay the highest prices for food in Canada.");
  await rosa.locator("#f-prayer").fill("We, the undersigned, citizens and residents of Canada, call upon the Government of Canada to extend the Nutrition North subsidy to every fly-in community.");
  await rosa.getByLabel("The Government of Canada").check();
  await rosa.getByLabel("30 days").check();
  await rosa.getByLabel("Member of Parliament to ask to authorize publication").selectOption("arya");
  for (let i = 1; i <= 5; i++) {
    const row = rosa.getByRole("group", { name: `Supporter ${i}`, exact: true });
    await row.getByLabel("First name").fill(`Sup${i}`);
    await row.getByLabel("Last name").fill("Porter");
    await row.getByLabel("E-mail address").fill(`sup${i}@e2e.example`);
  }
  await Promise.all([rosa.waitForLoadState("load"), rosa.getByRole("button", { name: "Save draft" }).click()]);
  for (const l of langs) {
    await check(rosa, base, `/${l}/account`, `${l}: the account with a draft`);
    await check(rosa, base, `/${l}/account/petition`, `${l}: the draft resumed`);
    await question(rosa, base, `/${l}/account/petition/submit`, `${l}: the question before submitting`);
  }
  await rosa.goto(`${base}/en/account/petition/submit`);
  await Promise.all([rosa.waitForLoadState("load"), rosa.getByRole("button", { name: "Yes, submit my petition" }).click()]);
  for (const l of langs) {
    await check(rosa, base, `/${l}/account`, `${l}: the account waiting for supporters`);
    await question(rosa, base, `/${l}/account/petition/withdraw`, `${l}: the question before withdrawing`);
  }

  // The supporters confirm, the first page checked in both languages and
  // sent empty.
  for (let i = 1; i <= 5; i++) {
    const sup = await browser.newPage(view);
    const inv = link(await mail(dir, "supporter-invitation", `sup${i}@e2e.example`), "/support/");
    if (i === 1) {
      for (const l of langs) {
        const url = inv.replace(/\/(en|fr)\/support\//, `/${l}/support/`);
        await sup.goto(url);
        await axe(sup, `${l}: a supporter's form`);
        await refused(sup, "", url, `${l}: a supporter's form sent empty`);
      }
    }
    await sup.goto(inv);
    await sup.locator("#f-province").selectOption("NU");
    await sup.locator("#f-postal_code").fill("X0A 0H0");
    await sup.locator("#f-phone").fill("867-555-0100");
    for (const c of await sup.locator("main form input[type=checkbox]").all()) await c.check();
    await Promise.all([sup.waitForLoadState("load"), sup.locator("main form.form button[type=submit]").click()]);
    if (i === 1) await axe(sup, "en: thank you for your support");
    await sup.close();
  }

  // ---- the Member ----
  const arya = await signIn(browser, base, "arya@petitions.test", "petitions-demo");
  for (const l of langs) {
    const r = await firstLink(arya, base, `/${l}/member`, "/member/petitions/", l);
    await check(arya, base, `/${l}/member`, `${l}: the Member's requests`);
    await check(arya, base, r, `${l}: the Member's review of a request`);
    await question(arya, base, `${r}?action=decline`, `${l}: the question before declining`);
    await check(arya, base, `/${l}/account`, `${l}: a Member's account`);
    await check(arya, base, `/${l}/member/present/e-6277`, `${l}: a Member recording a presentation`);
    await refused(arya, base, `/${l}/member/present/e-6277`, `${l}: a presentation refused`, null,
      (p) => p.locator("#f-date").fill("not a date"));
  }
  await arya.goto(base + await firstLink(arya, base, "/en/member", "/member/petitions/", "en"));
  await Promise.all([arya.waitForLoadState("load"), arya.locator("main form button[value=accept]").click()]);

  // ---- the responder ----
  const resp = await signIn(browser, base, "responder@petitions.test", "petitions-demo");
  for (const l of langs) {
    await check(resp, base, `/${l}/responder`, `${l}: the responder's petitions`);
    const href = await resp.locator("main a[href*='/responder/petitions/']").first().getAttribute("href").catch(() => null);
    if (ok(href !== null, `${l}: the responder has a petition to answer`)) {
      await check(resp, base, href, `${l}: writing a response`);
      await refused(resp, base, href, `${l}: a response refused`,
        l === "en" ? "Send to the Clerk for tabling" : "Envoyer au greffier pour dépôt");
    }
  }
  // A response sent to the Clerk, for the tabling pages below.
  await resp.goto(`${base}/en/responder/petitions/e-6104`);
  for (const f of await resp.locator("main form.form input[type=text]").all()) await f.fill("The Honourable Ann Minister");
  for (const f of await resp.locator("main form.form textarea").all()) await f.fill("The Government thanks the petitioners and answers them.");
  await Promise.all([resp.waitForURL(/\/responder\?/), resp.getByRole("button", { name: "Send to the Clerk for tabling" }).click()]);

  // ---- the Clerk ----
  const clerk = await signIn(browser, base, "clerk@petitions.test", "petitions-demo");
  for (const l of langs) {
    const r = await firstLink(clerk, base, `/${l}/clerk`, "/clerk/petitions/", l);
    await check(clerk, base, `/${l}/clerk`, `${l}: the Clerk's queue`);
    await check(clerk, base, r, `${l}: the Clerk's review`);
    await refused(clerk, base, r, `${l}: the Clerk's approval refused`, l === "en" ? "Approve and publish" : "Approuver et publier");
    await check(clerk, base, `/${l}/clerk/signatures`, `${l}: the Clerk's signatures`);
    await check(clerk, base, `/${l}/clerk/signatures/e-6390`, `${l}: a petition's signatures`);
    await check(clerk, base, `/${l}/clerk/signatures/e-6512?domain=e2e.example`, `${l}: a search of signatures`);
    await check(clerk, base, `/${l}/clerk/signatures/e-6512?from=nonsense`, `${l}: a search of signatures refused`);
    // Not "not_certify": e-6390 cannot be refused certification (409);
    // its question is the same template as these.
    for (const a of ["certify", "validate_all", "invalidate_all"])
      await question(clerk, base, `/${l}/clerk/signatures/e-6390?action=${a}`, `${l}: the question before ${a}`);
    await check(clerk, base, `/${l}/clerk/signing-rules`, `${l}: the signing rules`);
    await refused(clerk, base, `/${l}/clerk/signing-rules`, `${l}: a signing rule refused`);
    await check(clerk, base, `/${l}/clerk/house`, `${l}: the Clerk's House page`);
    await check(clerk, base, `/${l}/clerk/house/e-6277`, `${l}: presenting a certified petition`);
    await refused(clerk, base, `/${l}/clerk/house/e-6277`, `${l}: presenting refused`);
    await refused(clerk, base, `/${l}/clerk/house/e-6277`, `${l}: presenting under a committee unrelated to the subject`, null,
      async (p) => { await p.locator("#f-member").selectOption({ index: 1 }); await p.locator("#f-committee").selectOption("AGRI"); });
    ok(await clerk.locator("#f-anyway").count() === 1, `${l}: a committee unrelated to the subject asks to present anyway`);
    await check(clerk, base, `/${l}/clerk/house/e-6104`, `${l}: tabling a response`);
    await refused(clerk, base, `/${l}/clerk/house/e-6104`, `${l}: tabling refused`, null,
      (p) => p.locator("#f-date").fill("not a date"));
    await clerk.goto(`${base}/${l}/clerk/house/e-6104`);
    await Promise.all([clerk.waitForLoadState("load"), clerk.locator("main form.form button[type=submit]").click()]);
    ok(await clerk.locator("main form.confirm").count() === 1, `${l}: tabling is asked first`);
    await axe(clerk, `${l}: the question before tabling`);
    await check(clerk, base, `/${l}/clerk/calendar`, `${l}: the sitting calendar`);
    await refused(clerk, base, `/${l}/clerk/calendar`, `${l}: the sitting calendar refused`);
    await check(clerk, base, `/${l}/clerk/paper`, `${l}: a paper petition`);
    await refused(clerk, base, `/${l}/clerk/paper`, `${l}: a paper petition refused`);
  }

  // ---- the administrator ----
  const admin = await signIn(browser, base, "admin@petitions.test", "petitions-demo");
  for (const l of langs) {
    await check(admin, base, `/${l}/admin`, `${l}: the administrator's page`);
    await refused(admin, base, `/${l}/admin`, `${l}: adding a user refused`);
    await check(admin, base, `/${l}/admin/parliament`, `${l}: Parliament and sessions`);
    await question(admin, base, `/${l}/admin/parliament?action=prorogue`, `${l}: the question before proroguing`);
    await check(admin, base, `/${l}/admin/audit`, `${l}: the audit log`);
    await check(admin, base, `/${l}/admin/remove`, `${l}: removing a petition`);
    await refused(admin, base, `/${l}/admin/remove`, `${l}: removing refused`);
    await check(admin, base, `/${l}/admin/signing`, `${l}: pausing signing`);
    await refused(admin, base, `/${l}/admin/signing`, `${l}: pausing refused`);
  }

  // ---- signing by keyboard alone ----
  const kb = await browser.newPage(view);
  await kb.goto(`${base}/en/petitions/e-6478`);
  ok(await tabToButton(kb, "Sign the petition"), "keyboard: Tab reaches the sign button");
  // Refused by Post/Redirect/Get: the petition's page with ?refused=1.
  await Promise.all([kb.waitForURL(/\?refused=1$/), kb.keyboard.press("Enter")]);
  ok(await focusedId(kb, "error-summary") === "error-summary",
    "keyboard: sent empty by Enter, the error summary has the focus");
  const typed = [["f-first_name", "Sam"], ["f-last_name", "Keys"], ["f-email", "keys@e2e.example"],
    ["f-postal_code", "K1A 0A6"], ["f-phone", "613-555-0142"]];
  let reached = true;
  for (const [id, v] of typed) {
    reached = (await tabTo(kb, id)) && reached;
    await kb.keyboard.press("Control+A");
    await kb.keyboard.type(v);
  }
  reached = (await tabTo(kb, "f-province")) && reached;
  await kb.keyboard.type("Ontario");
  ok(await kb.locator("#f-province").inputValue() === "ON", "keyboard: the province chosen by typing its name");
  for (const id of ["f-eligible", "f-terms"]) {
    reached = (await tabTo(kb, id)) && reached;
    await kb.keyboard.press("Space");
    ok(await kb.locator(`#${id}`).isChecked(), `keyboard: Space ticks ${id}`);
  }
  ok(reached, "keyboard: Tab reaches every field of the form");
  ok(await kb.locator("#f-last_name").inputValue() === "Keys", "keyboard: what was typed is in the fields");
  ok(await tabToButton(kb, "Sign the petition"), "keyboard: Tab reaches the sign button again");
  await Promise.all([kb.waitForURL(/check-email/), kb.keyboard.press("Enter")]);
  ok(await kb.getByRole("heading", { name: "Check your e-mail" }).isVisible(), "keyboard: the signature sent by Enter is accepted");
});
