// lib.mjs: what the browser tests share: TAP lines, a petitiond in
// development mode on a free port over a fresh database with the demo
// data, its mailbox (.eml files) read for links, screenshots, and
// Debian's Chromium.
import { spawn } from "node:child_process";
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
function serve(dir) {
  return new Promise((res, rej) => {
    const p = spawn(bin, ["serve", "--listen", "127.0.0.1:0", "--db", join(dir, "db"),
      "--dev", "--mail-dir", join(dir, "mail"), "--threads", "2"],
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

// The newest e-mail of kind to address, waiting for the delivery thread.
export async function mail(dir, kind, to) {
  for (let i = 0; i < 200; i++) {
    const files = readdirSync(join(dir, "mail")).filter((f) => f.includes(kind) && f.endsWith(".eml")).sort().reverse();
    for (const f of files) {
      const text = readFileSync(join(dir, "mail", f), "utf8");
      if (text.split("\r\n").some((l) => l.startsWith("To:") && l.includes(to))) return text;
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

export async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

// A screenshot of one element (a locator), e.g. a chart and its table.
export async function shotOf(locator, name) {
  await locator.screenshot({ path: join(artifacts, `${name}.png`) });
}

// Run journey(ctx) with ctx = {browser, base, dir}; prints the TAP plan
// and exits 1 when a check failed or the journey threw.  prepare(db), when
// given, runs on the database after the demo data is loaded and before
// petitiond serves it.  {browser: false}: no browser (ctx.browser is
// undefined), for journeys that only speak HTTP.
export async function journey(fn, prepare, { browser: withBrowser = true } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "petitiond-e2e-"));
  mkdirSync(join(dir, "mail"));
  let server;
  let browser;
  try {
    await run(["migrate", "--db", join(dir, "db")]);
    await run(["demo", "--db", join(dir, "db")]);
    if (prepare) await prepare(join(dir, "db"));
    server = await serve(dir);
    const args = process.getuid && process.getuid() === 0 ? ["--no-sandbox"] : [];
    if (withBrowser) browser = await chromium.launch({ executablePath: browserPath, headless: true, args });
    await fn({ browser, base: server.base, dir });
  } catch (e) {
    ok(false, `the journey completes (${e.message.split("\n")[0]})`);
  } finally {
    if (browser) await browser.close();
    if (server) server.proc.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`1..${n}`);
  process.exit(failures ? 1 : 0);
}
