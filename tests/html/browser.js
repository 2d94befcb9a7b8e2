// Opens vmctr's HTML reports in headless Chromium (Debian `chromium`, driven
// by puppeteer-core, which downloads no browser) and checks what a reader
// on a phone, a laptop or paper gets:
//   - at 1280 and 375 px wide: no horizontal page scroll (wide tables scroll
//     inside their own .scroll box), every chart (svg) has a caption, an
//     accessible name and a number on it;
//   - printed to PDF on A4 and Letter: at most the page bound given for the
//     page (docs/report.md, "HTML");
//   - the optional priority sliders of an advise page ("sliders": the
//     profile): hidden until the page's script runs; for several settings
//     of several categories at once, the verdict the page computes equals
//     the one of `vmctr advise --format json --what-if priorities.X=N`;
//   - VMCTR_SHOTS=DIR: screenshots of each page at both widths into DIR.
// Usage: node browser.js CHROMIUM SPEC.json [VMCTR]
//   (SPEC: [{"file", "pages", "charts", "sliders"}])
// Prints PASS/FAIL lines and "N passed, N failed"; exit 1 on a failure.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const {execFileSync} = require('child_process');
const puppeteer = require('puppeteer-core');

const [chromium, specFile, vmctr] = process.argv.slice(2);
const CATS = ['workload', 'isolation', 'economics', 'delivery', 'team', 'strategy', 'operations'];
// settings of several priorities at once (the others stay the profile's)
const SETTINGS = [{workload: 0}, {isolation: 5}, {team: 0, delivery: 5}, {economics: 5, strategy: 0},
                  {workload: 0, isolation: 0, economics: 0, delivery: 0, team: 0, strategy: 0, operations: 0},
                  {workload: 5, isolation: 5, economics: 5, delivery: 5, team: 5, strategy: 5, operations: 5},
                  {workload: 1, team: 4, operations: 0}, {delivery: 0, strategy: 5, isolation: 2},
                  {workload: 2, isolation: 4, economics: 1, delivery: 3, team: 5, strategy: 0, operations: 2}];

async function checkSliders(page, name, profile) {
  const shown = await page.evaluate(() => {
    const s = document.getElementById('sliders');
    return !!s && !s.hidden && s.querySelectorAll('input[type=range]').length;
  });
  if (shown !== CATS.length) { ko(`${name}: sliders not shown (${shown})`); return; }
  ok();
  for (const set of SETTINGS) {
    const got = await page.evaluate((set) => {
      for (const inp of document.querySelectorAll('#sliders input')) {
        if (inp.name in set) {
          inp.value = String(set[inp.name]);
          inp.dispatchEvent(new Event('input'));
        }
      }
      const o = document.querySelector('#sliders .sl-verdict');
      return [o.dataset.paradigm, o.dataset.platform, o.dataset.containerPlatform].join('/');
    }, set);
    const args = ['advise', '--format', 'json'];
    for (const c of Object.keys(set)) args.push('--what-if', `priorities.${c}=${set[c]}`);
    const rep = JSON.parse(execFileSync(vmctr, args.concat([profile])).toString());
    const rec = rep.what_if.report.recommendation;
    const want = [rec.paradigm || '', rec.platform || '', rec.container_platform || ''].join('/');
    if (got !== want) ko(`${name}: sliders ${JSON.stringify(set)} give ${got}, vmctr --what-if gives ${want}`);
    else ok();
    await page.reload({waitUntil: 'load'}); // back to the profile's priorities
  }
}
const spec = JSON.parse(fs.readFileSync(specFile, 'utf8'));
let passed = 0, failed = 0;
const ok = () => { passed++; };
const ko = (m) => { failed++; console.log('FAIL ' + m); };

function pdfPages(buf) {
  // every page object of Chromium's PDF: "/Type /Page" not followed by "s"
  const s = buf.toString('latin1');
  const m = s.match(/\/Type\s*\/Page(?!s)/g);
  return m ? m.length : 0;
}

(async () => {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'vmctr-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--no-first-run', '--user-data-dir=' + profile],
  });
  try {
    const page = await browser.newPage();
    // the pages are self-contained: any request beyond the file is a defect
    await page.setRequestInterception(true);
    page.on('request', (r) => {
      if (r.url().startsWith('file:')) r.continue();
      else { ko(`request to ${r.url()}`); r.abort(); }
    });
    for (const item of spec) {
      const name = path.basename(item.file);
      for (const width of [1280, 375]) {
        await page.setViewport({width, height: 900});
        await page.goto('file://' + path.resolve(item.file), {waitUntil: 'load'});
        const r = await page.evaluate(() => {
          const de = document.documentElement;
          const svgs = [...document.querySelectorAll('svg')];
          const bad = [];
          for (const s of svgs) {
            const fig = s.closest('figure');
            const cap = fig && fig.querySelector('figcaption');
            const label = s.getAttribute('aria-label') || '';
            const nums = [...s.querySelectorAll('text')].filter((t) => /[0-9]/.test(t.textContent));
            if (!cap || !cap.textContent.trim()) bad.push('no caption: ' + label);
            if (!label.trim() || !s.querySelector('title')) bad.push('no accessible name');
            if (!nums.length) bad.push('no number on the chart: ' + label);
          }
          // a box wider than the viewport that is not inside a scrolling box
          const wide = [];
          for (const el of document.body.querySelectorAll('*')) {
            const rc = el.getBoundingClientRect();
            if (rc.right > de.clientWidth + 1 && !el.closest('.scroll')) wide.push(el.tagName + '.' + el.className);
          }
          return {scroll: de.scrollWidth, client: de.clientWidth, charts: svgs.length, bad, wide: wide.slice(0, 5)};
        });
        if (r.scroll > r.client) ko(`${name} @${width}px: page scrolls sideways (${r.scroll} > ${r.client}): ${r.wide.join(' ')}`);
        else ok();
        if (r.bad.length) ko(`${name} @${width}px: ${r.bad.join('; ')}`);
        else ok();
        if (item.charts && r.charts < item.charts) ko(`${name}: ${r.charts} charts, expected at least ${item.charts}`);
        else ok();
        if (item.sliders && width === 1280) await checkSliders(page, name, item.sliders);
        if (process.env.VMCTR_SHOTS) {
          fs.mkdirSync(process.env.VMCTR_SHOTS, {recursive: true});
          await page.screenshot({path: path.join(process.env.VMCTR_SHOTS, `${name}-${width}.png`), fullPage: true});
        }
      }
      for (const format of ['A4', 'Letter']) {
        const pdf = await page.pdf({format, printBackground: true});
        const n = pdfPages(Buffer.from(pdf));
        if (n < 1 || n > item.pages) ko(`${name}: ${n} ${format} pages printed, the bound is ${item.pages}`);
        else ok();
        console.log(`     ${name}: ${n} ${format} pages (bound ${item.pages})`);
      }
    }
  } finally {
    await browser.close();
    fs.rmSync(profile, {recursive: true, force: true});
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})().catch((e) => { console.log('FAIL ' + e.message); console.log(`${passed} passed, ${failed + 1} failed`); process.exit(1); });
