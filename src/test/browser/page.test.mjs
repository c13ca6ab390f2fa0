// Drives the tween web page like a person: key, two frames, prompt, submit, progress, playback,
// the task list, an invalid input. Usage: BASE_URL=… TWEEN_KEY=… FIRST=a.png LAST=b.png SHOT=out.png node page.test.mjs
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';

const { BASE_URL, TWEEN_KEY, FIRST, LAST, SHOT } = process.env;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 390, height: 1100 } }); // a phone-sized screen
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
  await page.waitForFunction(() => /This month: [1-9]\d* videos/.test(document.querySelector('#usage').textContent));

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
  await page.screenshot({ path: SHOT, fullPage: true });
  console.log('browser test passed; screenshot at ' + SHOT);
} finally {
  await browser.close();
}
