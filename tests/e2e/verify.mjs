// verify.mjs: "Check my signature" (issue 18, item 4) in a real browser:
// a signer's receipt checked against the petition's public log by
// static/verify.js.
//
// On demo petition e-6512: two signatures are made and confirmed through
// the e-mailed links; the first one's receipt (the thanks page's link,
// asked again until its checkpoint is signed) is checked after the second
// one is logged, so that today's log has grown past the receipt's and
// the consistency from one to the other is really computed from the hash
// tiles.  Pasted on /en/verify (reached by the thanks page's link), every
// line is ticked and the entry's province is named; chosen as a file, the
// same.  Once the Clerk invalidates the second signature, its receipt
// still proves its entry and the page names the "void" entry that takes
// it back.  Then what must fail, each failure named: a proof hash changed by
// one character, the nonce changed, a changed root (not this site's
// signature), another site's receipt, text that is no receipt, the log
// unreachable.  In French once, ticks and failure in French.  Without
// JavaScript the page says the check needs it and names the command line.
import { fillSignForm as fill, journey, link, mail, ok, shot } from "./lib.mjs";

// Sign e-6512 as who and confirm from the e-mail; the thanks page (open).
// Each signer comes from an address of their own (X-Forwarded-For from
// the trusted 127.0.0.1), as two people would: two signatures from one
// address in a short time are held for the Clerk, and have no receipt.
async function signAndConfirm(browser, base, dir, who) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, extraHTTPHeaders: { "X-Forwarded-For": who.address } });
  const page = await context.newPage();
  await page.goto(`${base}/en/petitions/e-6512`);
  await fill(page, who);
  await page.getByRole("button", { name: "Sign the petition" }).click();
  await page.goto(link(await mail(dir, "signature-confirm", who.email), "/signatures/"));
  await page.getByRole("button", { name: "Confirm my signature" }).click();
  ok(await page.getByRole("heading", { name: "Thank you for signing" }).isVisible(), `${who.first}'s signature is confirmed`);
  return page;
}

// The receipt behind the thanks page's link, asked until it is ready
// (its checkpoint is signed within about a second; 404 before).
async function receipt(page) {
  const href = await page.getByRole("link", { name: /Download the receipt/ }).getAttribute("href");
  ok(/\.tlog-proof$/.test(href), `the thanks page links to a receipt (${href})`);
  for (let i = 0; i < 200; i++) {
    const r = await page.request.get(new URL(href, page.url()).href);
    if (r.status() === 200) return { href, text: await r.text() };
    await new Promise((res) => setTimeout(res, 100));
  }
  const last = await page.request.get(new URL(href, page.url()).href);
  throw new Error(`the receipt ${href} never became ready (${last.status()}: ${(await last.text()).replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").slice(0, 1500)})`);
}

// Paste text on the verify page, press the button, wait for the result;
// {ok: the result's class says success, status, lines: [{ok, text}]}.
async function check(page, text, button = "Check") {
  await page.locator("#verify-text").fill(text);
  await page.getByRole("button", { name: button, exact: true }).click();
  return result(page);
}

async function result(page) {
  await page.locator("#verify-result.verify-result-ok, #verify-result.verify-result-failed").waitFor();
  return page.evaluate(() => ({
    ok: document.getElementById("verify-result").classList.contains("verify-result-ok"),
    status: document.getElementById("verify-status").textContent,
    lines: [...document.querySelectorAll("#verify-lines li")].map((li) => ({
      ok: li.classList.contains("verify-ok"), text: li.textContent })),
  }));
}

// The receipt with line i (0 = first) changed by f.
function changeLine(text, i, f) {
  const lines = text.split("\n");
  lines[i] = f(lines[i]);
  return lines.join("\n");
}

// One base64 character changed (the first: never a padding bit).
const flip = (s) => (s[0] === "A" ? "B" : "A") + s.slice(1);

await journey(async ({ browser, base, dir }) => {
  const probe = await browser.newPage();
  await probe.goto(`${base}/en/verify`);
  const ed25519 = await probe.evaluate(async () => {
    try {
      await crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"]);
      return true;
    } catch (e) {
      return false;
    }
  });
  ok(ed25519, "Chromium's WebCrypto has Ed25519 (the page's check needs it)");
  await probe.close();

  const thanks = await signAndConfirm(browser, base, dir, { first: "Maëlle", last: "Tremblay", email: "maelle@e2e.example", province: "QC", postal: "H2X 1Y4", phone: "514-555-0142", address: "198.51.100.21" });
  const { text: good } = await receipt(thanks);
  ok(good.startsWith("c2sp.org/tlog-proof@v1\nextra "), "the receipt is a tlog-proof with its nonce");
  const size0 = Number(good.split("\n\n")[1].split("\n")[1]);
  // A second signature, logged: today's tree is larger than the receipt's.
  const other = await signAndConfirm(browser, base, dir, { first: "Omar", last: "Haddad", email: "omar@e2e.example", province: "ON", postal: "K1A 0A6", phone: "613-555-0177", address: "198.51.100.22" });
  const { href: secondHref, text: second } = await receipt(other);
  const size1 = Number(second.split("\n\n")[1].split("\n")[1]);
  ok(size1 > size0, `the log grew past the first receipt's tree (${size0} to ${size1})`);

  // The thanks page's link leads to the page.
  await thanks.locator("main").getByRole("link", { name: "Check my signature" }).click();
  ok(await thanks.getByRole("heading", { name: "Check my signature", level: 1 }).isVisible(), "the thanks page links to Check my signature");
  ok(await thanks.locator("#verify-form").isVisible(), "with JavaScript the form shows");
  const page = thanks;

  // The good receipt, pasted: every line ticked.
  let r = await check(page, good);
  ok(r.ok && r.status === "Your signature is in the count of petition e-6512.", `the good receipt checks (${r.status})`);
  ok(r.lines.length === 5 && r.lines.every((l) => l.ok), `five lines, each proven (${r.lines.map((l) => (l.ok ? "✓" : "✗")).join("")})`);
  ok(/signed by this site’s log key \(127\.0\.0\.1\)/.test(r.lines[0].text), `line 1: the site's key (${r.lines[0].text})`);
  const index = Number(good.split("\n")[2].slice(6));
  ok(r.lines[1].text.includes(`petition e-6512 at position ${index}`) && r.lines[1].text.includes("(Quebec)"), `line 2: the entry, its position and province (${r.lines[1].text})`);
  ok(r.lines[2].text.startsWith("✓Proven: The secret number in your receipt matches"), `line 3: the nonce (${r.lines[2].text})`);
  const today = /The log today \((\d+) entries, signed by this site’s log key\) still holds your entry and is consistent with your receipt/.exec(r.lines[3].text);
  ok(today && Number(today[1]) >= size1, `line 4: today's log, consistent (${r.lines[3].text})`);
  ok(/Nothing in the log since takes your signature back \(entries read after it and checked against today’s signed log: \d+\)\. It still counts\./.test(r.lines[4].text), `line 5: not taken back (${r.lines[4].text})`);
  await shot(page, "60-verify-ok-en");

  // Chosen as a file: the same.
  await page.reload();
  await page.getByLabel("Your receipt (a .tlog-proof file)").setInputFiles({ name: "e-6512-signature.tlog-proof", mimeType: "text/plain", buffer: Buffer.from(good) });
  await page.waitForFunction(() => document.getElementById("verify-text").value.length > 0);
  await page.getByRole("button", { name: "Check", exact: true }).click();
  r = await result(page);
  ok(r.ok && r.lines.length === 5 && r.lines.every((l) => l.ok), "the receipt chosen as a file checks too");

  // What must fail, each named.
  const firstHash = good.split("\n").findIndex((l, i) => i > 2 && l.length === 44);
  ok(firstHash > 2, "the receipt has a proof hash to change");
  r = await check(page, changeLine(good, firstHash, flip));
  ok(!r.ok && r.lines[0].ok && !r.lines[r.lines.length - 1].ok &&
     r.lines[r.lines.length - 1].text.includes("The proof in the receipt does not lead to the log"),
     `a proof hash changed: the broken proof is named (${r.lines.map((l) => l.text).join(" | ")})`);
  await shot(page, "61-verify-proof-changed-en");
  r = await check(page, changeLine(good, 1, (l) => "extra " + flip(l.slice(6))));
  ok(!r.ok && r.lines.length === 3 && r.lines[0].ok && r.lines[1].ok &&
     r.lines[2].text.includes("The secret number in your receipt does not match"),
     `the nonce changed: the mismatch is named (${r.lines.map((l) => l.text).join(" | ")})`);
  const blank = good.split("\n").indexOf("");
  r = await check(page, changeLine(good, blank + 3, flip));
  ok(!r.ok && r.lines.length === 1 && r.lines[0].text.includes("not signed with this site’s log key"),
     `the signed root changed: not this site's signature (${r.status} ${r.lines[0] && r.lines[0].text})`);
  r = await check(page, good.replace(/127\.0\.0\.1:\d+\/log\//, "petitions.example/log/"));
  ok(!r.ok && r.lines[0].text.includes("comes from another site (petitions.example)"), `another site's receipt is named (${r.lines[0].text})`);
  r = await check(page, "Thank you for signing\n");
  ok(!r.ok && r.lines[0].text.includes("This is not a receipt"), `text that is no receipt is named (${r.lines[0].text})`);
  await page.route("**/log/key", (route) => route.abort());
  r = await check(page, good);
  ok(!r.ok && r.lines[0].text.includes("could not be reached"), `the log unreachable is named (${r.lines[0].text})`);
  await page.unroute("**/log/key");

  // In French.
  await page.goto(`${base}/fr/verify`);
  ok(await page.getByRole("heading", { name: "Vérifier ma signature", level: 1 }).isVisible(), "the French page");
  r = await check(page, good, "Vérifier");
  ok(r.ok && r.status === "Votre signature est comptée dans la pétition e-6512." && r.lines.length === 5 &&
     r.lines.every((l) => l.ok) && r.lines[1].text.includes("(Québec)") && r.lines[0].text.includes("Prouvé"),
     `in French, every line proven in French (${r.lines.map((l) => l.text).join(" | ")})`);
  await shot(page, "62-verify-ok-fr");
  r = await check(page, changeLine(good, 1, (l) => "extra " + flip(l.slice(6))), "Vérifier");
  ok(!r.ok && r.lines[2].text.includes("Non prouvé") && r.lines[2].text.includes("Le nombre secret de votre reçu ne correspond pas"),
     `in French, the nonce's failure in French (${r.lines[2] && r.lines[2].text})`);

  // The Clerk invalidates the second signature: its receipt still proves
  // the entry, and the page says the log now takes it back.
  const clerk = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  await clerk.goto(`${base}/en/sign-in`);
  await clerk.getByLabel("E-mail address").fill("clerk@petitions.test");
  await clerk.getByLabel("Password").fill("petitions-demo");
  await clerk.getByRole("button", { name: "Sign in" }).click();
  const id = secondHref.split("/")[2];
  await clerk.goto(`${base}/en/clerk/signatures/e-6512`);
  await clerk.getByLabel("IP address or network").fill("198.51.100.22");
  await clerk.getByRole("button", { name: "Search", exact: true }).click();
  await clerk.locator(`#sig-${id}`).getByRole("button", { name: "Invalidate" }).click();
  await clerk.waitForLoadState("load");
  let grown = size1;
  for (let i = 0; i < 200 && grown <= size1; i++) {
    const cp = await clerk.request.get(`${base}/log/6512/checkpoint`);
    grown = Number((await cp.text()).split("\n")[1]);
    if (grown <= size1) await new Promise((res) => setTimeout(res, 100));
  }
  ok(grown > size1, `the invalidation is logged (${size1} to ${grown})`);
  await page.goto(`${base}/en/verify`);
  r = await check(page, second);
  ok(!r.ok && r.lines.length === 5 && r.lines.slice(0, 4).every((l) => l.ok) && !r.lines[4].ok &&
     r.lines[4].text.includes(`Your signature no longer counts: the entry at position ${size1} of the log (“void ${size1 - 1} clerk”)`),
     `an invalidated signature: the void entry is named (${r.lines[4] && r.lines[4].text})`);
  await shot(page, "63-verify-voided-en");

  // Without JavaScript.
  const nojs = await browser.newContext({ javaScriptEnabled: false });
  const plain = await nojs.newPage();
  await plain.goto(`${base}/en/verify`);
  const said = await plain.locator("main").textContent();
  ok(said.includes("needs JavaScript") && said.includes("petitiond log verify") && !(await plain.locator("#verify-form").isVisible()),
     "without JavaScript the page says the check needs it and names the command line");
  await nojs.close();
}, null, { serveArgs: ["--trusted-proxy", "127.0.0.1"] });
