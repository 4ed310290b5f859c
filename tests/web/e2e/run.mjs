// Browser end-to-end tests: headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core) against the real `hrtrack serve` on 127.0.0.1, on a data folder imported,
// indexed and analysed from shared/legislation. Screenshots of every page are saved under
// $HRTRACK_ARTIFACTS/screenshots. Exit status 0 when every check passed.
import { spawn, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../../..");
const require = createRequire(path.join(repo, "web/frontend/package.json"));
const { chromium } = require("playwright-core");

const bin = process.env.HRTRACK_BIN || path.join(repo, "build/web/app/hrtrack");
const shared = process.env.HRTRACK_SHARED || path.resolve(repo, "../shared");
const artifacts = process.env.HRTRACK_ARTIFACTS || path.join(repo, "build/web/artifacts");
const shots = path.join(artifacts, "screenshots");
fs.mkdirSync(shots, { recursive: true });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "hrtrack-e2e-"));
const data = path.join(tmp, "data");

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures++;
}

function hrtrack(args, input) {
  const r = spawnSync(bin, ["--data", data, ...args], { input, encoding: "utf8", timeout: 600000 });
  if (r.status !== 0 && r.status !== 2) throw new Error(`hrtrack ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
  return r;
}

function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ["--data", data, "serve", "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const timer = setTimeout(() => reject(new Error("server did not print its URL: " + out)), 15000);
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/on (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] });
      }
    });
    child.stderr.on("data", (d) => process.stderr.write(d));
    child.on("exit", (code) => reject(new Error("server exited early: " + code)));
  });
}

const t0 = Date.now();
hrtrack(["import", path.join(shared, "legislation")]);
hrtrack(["index"]);
hrtrack(["analyze"]);
hrtrack(["analyst", "add", "ana"], "e2e-password\n");
console.log(`data ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

const { child: server, url: base } = await startServer();
// Each context gets a fresh profile folder (playwright passes it as --user-data-dir).
let profiles = 0;
const launch = (options) =>
  chromium.launchPersistentContext(path.join(tmp, `profile-${++profiles}`), {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: 1280, height: 900 },
    ...options,
  });
const context = await launch({});
try {
  const page = context.pages()[0] || (await context.newPage());
  const consoleErrors = [];
  page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
  // Only the server under test may be contacted.
  await context.route("**/*", (route) => {
    const u = new URL(route.request().url());
    if (u.hostname === "127.0.0.1") return route.continue();
    consoleErrors.push("blocked outside request: " + u.href);
    return route.abort();
  });
  const shot = (name) => page.screenshot({ path: path.join(shots, name + ".png"), fullPage: true });

  // The map: drawn client-side, tracked countries coloured, a click opens the jurisdiction.
  await page.goto(base);
  await page.waitForSelector("svg.world path.country.tracked", { timeout: 15000 });
  const coloured = await page.$$eval("svg.world path.country.tracked", (ps) =>
    ps.filter((p) => getComputedStyle(p).fill !== getComputedStyle(document.querySelector("path.country:not(.tracked)")).fill).length);
  check(coloured >= 5, `map colours the analysed countries (${coloured})`);
  check((await page.$$("table.heat td.cell a")).length >= 50, "heat table has a cell per jurisdiction and provision");
  // Not assessed (the corpus holds no drug law of it): grey, not the red of a score of 0, and
  // apart in the heat table.
  const gb = await page.$eval('svg.world path[data-code="GB"]', (p) => ({ cls: p.getAttribute("class"), fill: getComputedStyle(p).fill }));
  check(/not-assessed/.test(gb.cls) && gb.fill === "rgb(195, 202, 210)", `a country not assessed is grey on the map (${gb.fill})`);
  check((await page.$$('table.heat tbody.not-assessed a[href="/jurisdictions/GB"]')).length === 1,
        "a country not assessed is listed apart in the heat table");
  await shot("01-overview");
  check(consoleErrors.length === 0, "no console errors or CSP violations on the overview: " + consoleErrors.join("; "));
  await page.click('svg.world path[data-code="CA"]');
  await page.waitForURL(/\/jurisdictions\/CA$/);
  check(true, "a click on Canada opens its page");
  const quote = await page.textContent("#possession blockquote").catch(() => "");
  check(quote && quote.length > 20, "Canada's possession answer quotes the deciding clause");
  check((await page.$("svg.timeline rect")) !== null, "the timeline chart is drawn");
  await shot("02-jurisdiction-CA");

  // A heat-table cell opens the answer in the jurisdiction page.
  await page.goto(base);
  await page.click('table.heat td.cell a[href="/jurisdictions/DE#possession"]');
  await page.waitForURL(/\/jurisdictions\/DE#possession$/);
  check(true, "a heat table cell opens the detail");

  // Search: typed into the form, hits with marked words; "Spritzen" finds German law.
  await page.goto(base + "search");
  await page.fill("#f-q", "Betäubungsmittel");
  await Promise.all([page.waitForNavigation(), page.press("#f-q", "Enter")]);
  check((await page.$$("ol.hits mark")).length > 0, "search shows marked hits");
  await shot("03-search");
  await page.goto(base + "search?q=Spritzen");
  const spritzen = await page.textContent("ol.hits");
  check(/BtMG/.test(spritzen || ""), "'Spritzen' finds German law (BtMG)");

  for (const [name, url] of [
    ["04-provision-possession", "provisions/possession"],
    ["05-compare", "compare?j=CA&j=DE&j=NL"],
    ["06-section", "section?id=C-38.8%2356"],
    ["07-instrument", "instrument?id=BtMG"],
    ["08-changes", "changes"],
    ["09-about", "about"],
    ["10-review-list", "review"],
  ]) {
    const r = await page.goto(base + url);
    check(r.status() === 200, `${url} answers 200`);
    await shot(name);
  }
  await page.goto(base + "reports/CA");
  await page.emulateMedia({ media: "print" });
  await shot("11-report-CA-print");
  check(!(await page.isVisible(".site-header")), "the printed report hides the site navigation");
  await page.emulateMedia({ media: "screen" });
  await shot("12-report-CA");

  // Review: sign in, then a form whose CSRF token was removed is refused.
  await page.goto(base + "login");
  await shot("13-login");
  await page.fill('input[name="name"]', "ana");
  await page.fill('input[name="password"]', "e2e-password");
  await Promise.all([page.waitForNavigation(), page.click('form.login button[type="submit"]')]);
  check(page.url().endsWith("/review"), "the analyst signs in");
  await page.goto(base + "review/CA/possession");
  await shot("14-review-form");
  await page.check('input[name="status"][value="restricted"]');
  await page.fill('textarea[name="note"]', "checked in the browser");
  await page.evaluate(() => document.querySelector('form.review-form input[name="csrf"]').remove());
  const [refused] = await Promise.all([page.waitForNavigation(), page.click('form.review-form button[type="submit"]')]);
  check(refused && refused.status() === 403, "the review form without its CSRF token is refused (403)");
  check(/Request refused/.test(await page.textContent("main")), "the refusal says why");

  // Atom: the feed parses as XML and has entries.
  const atom = await page.request.get(base + "feeds/changes.atom");
  const feedText = await atom.text();
  const parsed = await page.evaluate((x) => {
    const doc = new DOMParser().parseFromString(x, "application/xml");
    return { error: doc.getElementsByTagName("parsererror").length, entries: doc.getElementsByTagName("entry").length,
             root: doc.documentElement.localName };
  }, feedText);
  check(parsed.error === 0 && parsed.root === "feed" && parsed.entries > 0, `the Atom feed parses as XML (${parsed.entries} entries)`);

  // Without JavaScript the pages still work: the heat table and search are server-rendered.
  const plain = await launch({ javaScriptEnabled: false });
  const p2 = await plain.newPage();
  await p2.goto(base + "search?q=Betäubungsmittel");
  check((await p2.$$("ol.hits mark")).length > 0, "search works without JavaScript");
  await p2.goto(base);
  check((await p2.$$("table.heat td.cell")).length >= 50, "the overview table works without JavaScript");
  await plain.close();
} catch (e) {
  console.error(e);
  failures++;
} finally {
  await context.close();
  // Graceful shutdown on SIGTERM: exits 0.
  const exited = new Promise((resolve) => server.on("exit", (code) => resolve(code)));
  server.kill("SIGTERM");
  const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r("timeout"), 10000))]);
  check(code === 0, `the server stops gracefully on SIGTERM (exit ${code})`);
  fs.rmSync(tmp, { recursive: true, force: true });
}
console.log(`${failures ? "FAILED" : "passed"} in ${((Date.now() - t0) / 1000).toFixed(1)} s; screenshots in ${shots}`);
process.exit(failures ? 1 : 0);
