// drafting.mjs: the petitioner's drafting journey in a real browser.
//
// Debian's Chromium, driven by Playwright (playwright-core), against a real
// petitiond in development mode (e-mail written to a folder, read here for
// its links).  Fields are found by their labels, as a person (or a screen
// reader) finds them; the journey runs in English, and the French pages
// are checked with their French labels.  Screenshots go to
// $E2E_ARTIFACTS (default build/test/e2e-artifacts).  Prints TAP lines
// ("ok N - ...", "not ok N - ...") for scripts/run-tests.
import { journey, link, mail, ok, shot } from "./lib.mjs";

await journey(async ({ browser, base, dir }) => {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });

  // Register, in English, by the labels.
  await page.goto(`${base}/en/register`);
  ok(await page.getByRole("heading", { name: "Create an account" }).isVisible(), "the registration page says what it is");
  await page.getByLabel("First name").fill("Rosa");
  await page.getByLabel("Last name").fill("Tremblay");
  await page.getByLabel("City").fill("Sudbury");
  await page.getByLabel("Province or territory").selectOption("ON");
  await page.getByLabel("Postal code").fill("P3A 1A1");
  await page.getByLabel("Telephone").fill("705-555-0147");
  await page.getByLabel("E-mail address").fill("rosa@e2e.example");
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByLabel("I am a citizen or resident of Canada").check();
  await page.getByLabel("I accept the terms of use").check();
  await shot(page, "01-register-en");
  await page.getByRole("button", { name: "Create my account" }).click();
  ok(await page.getByRole("heading", { name: "Check your e-mail" }).isVisible(), "registering asks to check the e-mail");

  const activation = link(await mail(dir, "account-activation", "rosa@e2e.example"), "/account/activate");
  await page.goto(activation);
  ok(await page.getByRole("heading", { name: "Your account is active" }).isVisible(), "the e-mailed link activates the account");

  await page.goto(`${base}/en/sign-in`);
  await page.getByLabel("E-mail address").fill("rosa@e2e.example");
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Sign in" }).click();
  ok(page.url().endsWith("/en/account"), "signing in lands on the account page");
  await page.getByRole("link", { name: "Start a petition", exact: true }).click();

  // Draft: the live word count, and a web address refused beside its field.
  const prayer = page.getByLabel("The prayer: what you ask the addressee to do");
  await page.getByLabel("Whereas clause 1").fill("Northern communities pay the highest prices for food in Canada.");
  await prayer.fill("We, the undersigned, call upon the Government of Canada to see www.example.ca for details.");
  const count = await page.locator("#word-count").textContent();
  ok(/\b(2[0-9]|3[0-9]) \/ 250\b/.test(count), `the word count is live (${count.trim()})`);
  await page.getByLabel("The Government of Canada").check();
  await page.getByLabel("30 days").check();
  await page.getByLabel("Member of Parliament to ask to authorize publication").selectOption("arya");
  await page.getByRole("button", { name: "Save draft" }).click();
  const err = page.locator("#f-prayer-error");
  ok(await err.isVisible() && (await err.textContent()).includes("web address"), "a web address is refused beside the prayer");
  ok((await page.getByLabel("Whereas clause 1").inputValue()).startsWith("Northern"), "what was typed is kept after a refusal");
  await shot(page, "02-draft-refused-en");

  await page.getByLabel("The prayer: what you ask the addressee to do").fill(
    "We, the undersigned, citizens and residents of Canada, call upon the Government of Canada to extend the Nutrition North subsidy to every fly-in community.");
  for (let i = 1; i <= 5; i++) {
    const row = page.getByRole("group", { name: `Supporter ${i}`, exact: true });
    await row.getByLabel("First name").fill(`Sup${i}`);
    await row.getByLabel("Last name").fill("Porter");
    await row.getByLabel("E-mail address").fill(`sup${i}@e2e.example`);
  }
  await page.getByRole("button", { name: "Save draft" }).click();
  ok((await page.locator(".notice").textContent()).includes("Your draft is saved"), "the draft is saved");
  await page.getByRole("link", { name: "Edit the petition" }).click();
  ok((await page.getByLabel("The prayer: what you ask the addressee to do").inputValue()).includes("Nutrition North"), "the saved draft is resumed");
  // Submitting freezes the text: it is asked first, on a page of its own.
  await page.getByRole("button", { name: "Submit petition" }).click();
  ok((await page.title()).startsWith("Submit your petition?"), "submitting is asked first");
  ok(await page.getByText("the text of your petition is frozen").isVisible(), "the question says the text will be frozen");
  ok(await page.getByRole("link", { name: "Cancel" }).isVisible(), "the question offers Cancel");
  await shot(page, "03-submit-question-en");
  await page.getByRole("button", { name: "Yes, submit my petition" }).click();
  ok((await page.locator(".notice").textContent()).includes("supporters have been e-mailed"), "submitting invites the supporters");
  ok(await page.getByText("Waiting for supporters").isVisible(), "the account shows the petition waiting for supporters");
  await shot(page, "03-submitted-en");

  // A supporter confirms from the e-mail, with a button.
  const supPage = await browser.newPage();
  const inv = link(await mail(dir, "supporter-invitation", "sup1@e2e.example"), "/support/");
  await supPage.goto(inv);
  ok(await supPage.getByText("Nutrition North").isVisible(), "the supporter sees the petition");
  await supPage.getByLabel("Province or territory").selectOption("NU");
  await supPage.getByLabel("Postal code").fill("X0A 0H0");
  await supPage.getByLabel("Telephone").fill("867-555-0100");
  await supPage.getByLabel("I am a citizen or resident of Canada").check();
  await supPage.getByLabel(/I accept the terms of use for supporters/).check();
  await shot(supPage, "04-supporter-en");
  await supPage.getByRole("button", { name: "Confirm my support" }).click();
  ok(await supPage.getByRole("heading", { name: "Thank you for your support" }).isVisible(), "the supporter's confirmation is recorded");

  // The same pages in French, by their French labels.
  await page.goto(`${base}/fr/register`);
  ok(await page.getByLabel("Prénom").isVisible() && await page.getByLabel("Code postal").isVisible(), "the French registration form has French labels");
  await shot(page, "05-register-fr");
  await page.goto(`${base}/fr/account`);
  ok(await page.getByText("En attente des appuyeurs").isVisible(), "the French account page shows the state in French");
  await shot(page, "06-account-fr");
});
