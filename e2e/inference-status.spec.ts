import { cudaLibraries } from '../src/main/inference/execution-providers'
import { keepScreenshot, showDetails, SLOW } from './harness/app-view'
import { expect, test } from './harness/fixtures'

/**
 * The Performance panel says which provider runs and why a faster one is not used: on Linux x64
 * without onnxruntime-node's CUDA libraries (every machine of ours), "Not using cuda" with the
 * missing files and the command that installs them; where they are installed, no such line.
 */
test('the Performance panel says why CUDA is not used, and how to install it', async ({ app }, testInfo) => {
  const libraries = cudaLibraries()
  const skipped = app.page.locator('[data-stat="provider-skipped"]')
  await showDetails(app.page)
  if (libraries.state === 'missing') {
    await expect(skipped).toContainText('Not using cuda: CUDA provider libraries not installed', SLOW)
    await expect(skipped).toContainText(libraries.missing[0] ?? '')
    await expect(skipped).toContainText('npm run cuda:install')
    await skipped.scrollIntoViewIfNeeded()
    await keepScreenshot(app.page, testInfo, 'performance-panel-cuda-skipped')
  } else {
    await expect(app.page.getByLabel('Live statistics')).toBeVisible(SLOW)
    await expect(skipped).toHaveCount(0)
  }
})
