// Drives the tween web page like a person: key, two frames, prompt, submit, progress, playback,
// the task list, an invalid input; then, with the finished task listed, checks at a phone's and a
// laptop's size that no element reaches past the viewport and takes a full-page screenshot of each.
// Usage: BASE_URL=… TWEEN_KEY=… FIRST=a.png LAST=b.png SHOTS=dir node page.test.mjs
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';

const { BASE_URL, TWEEN_KEY, FIRST, LAST, SHOTS } = process.env;
const SIZES = [{ width: 390, height: 844 }, { width: 1280, height: 800 }];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: SIZES[0] }); // a phone's screen
  await page.goto(BASE_URL + '/');
  await page.fill('#key', TWEEN_KEY);
  await page.click('#saveKey');

  // An invalid input shows the API's own message.
  await page.fill('#prompt', 'browser test');
  await page.click('#submit');
  await page.waitForFunction(() => document.querySelector('#error').textContent.includes('INVALID_REQUEST_BODY'));
  const error = await page.textContent('#error');
  assert.match(error, /400 INVALID_REQUEST_BODY: image: /);

  await page.setInputFiles('#file-first', FIRST);
  await page.setInputFiles('#file-last', LAST);
  await page.waitForSelector('#drop-first img');
  await page.waitForSelector('#drop-last img');
  await page.selectOption('#duration', '4');
  await page.click('#submit');

  await page.waitForSelector('#progress', { timeout: 30000 });
  await page.waitForFunction(() => document.querySelector('#status')?.textContent.startsWith('SUCCEED'), null, { timeout: 180000 });
  assert.equal(await page.getAttribute('#progress', 'value'), '100');
  assert.match(await page.textContent('#task-cost'), /^4 s of video · 0 USD$/); // the local engine is free
  await page.waitForFunction(() => /This month: 1 video · /.test(document.querySelector('#usage').textContent));

  const duration = await page.$eval('#video-0', v => new Promise((resolve, reject) => {
    const done = () => resolve(v.duration);
    if (v.readyState >= 1) return done();
    v.addEventListener('loadedmetadata', done, { once: true });
    v.addEventListener('error', () => reject(new Error('video error ' + (v.error && v.error.code))), { once: true });
    v.load();
  }));
  assert.ok(Math.abs(duration - 4) < 0.2, `video duration ${duration} should be about 4 s`);
  const played = await page.$eval('#video-0', async v => { v.muted = true; await v.play(); await new Promise(r => setTimeout(r, 700)); v.pause(); return v.currentTime; });
  assert.ok(played > 0.2, `the video should play (currentTime ${played})`);

  await page.waitForFunction(() => document.querySelectorAll('#tasks li[data-id]').length >= 1);
  const listed = await page.$$eval('#tasks li[data-id]', lis => lis.map(li => li.textContent));
  assert.ok(listed.some(t => t.includes('SUCCEED')), 'the finished task is in the list');

  // The model select names the model, not an internal task type.
  const model = (await page.textContent('#model option:checked')).trim();
  assert.equal(model, 'Local engine (CPU)');

  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.waitForFunction(() => document.querySelector('#tasks li[data-id] .status-TASK_STATUS_SUCCEED'));
    assert.ok(await page.evaluate(showsWholeOption, '#model'), `at ${size.width}×${size.height} the model's name is cut`);
    const outside = await page.evaluate(overflowing);
    assert.deepEqual(outside, [], `at ${size.width}×${size.height} these elements reach past the viewport`);
    const shot = `${SHOTS}/web-page-${size.width}x${size.height}.png`;
    await page.screenshot({ path: shot, fullPage: true });
    console.log('screenshot at ' + shot);
  }
  console.log('browser test passed');
} finally {
  await browser.close();
}

// Every visible element whose box, cut to the boxes of the ancestors that clip it, reaches past
// the left or right edge of the viewport; and the page itself when it scrolls sideways.
function overflowing() {
  const width = document.documentElement.clientWidth;
  const out = [];
  if (document.documentElement.scrollWidth > width) out.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${width} px`);
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
    let left = r.left, right = r.right;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') {
        const c = a.getBoundingClientRect();
        left = Math.max(left, c.left); right = Math.min(right, c.right);
      }
    }
    if (right <= left) continue; // clipped away entirely
    if (left < -0.5 || right > width + 0.5) {
      const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '');
      out.push(`${name} spans ${Math.round(left)}…${Math.round(right)} px`);
    }
  }
  return out;
}

// Whether a select is wide enough for its chosen option's text (its padding and arrow included).
function showsWholeOption(selector) {
  const s = document.querySelector(selector);
  const style = getComputedStyle(s);
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = style.font;
  const text = ctx.measureText(s.options[s.selectedIndex].text).width;
  return text + parseFloat(style.paddingLeft) + parseFloat(style.paddingRight) + 24 <= s.clientWidth;
}
