import { describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/a11y';
import { browserTestsCanRun } from '../support/browser';
import { useBrowserHarness } from '../support/browserHarness';
import { pairOnAgreements } from '../support/pairOnAgreements';

const run = browserTestsCanRun();

describe.skipIf(!run)('Starters stay reachable once there are agreements', () => {
  const h = useBrowserHarness();

  it('shows them as the beginning while there is none, then under the add form as "Start from an idea", by keyboard', async () => {
    const [sam, alex] = await pairOnAgreements(h);
    await sam.getByRole('button', { name: 'Start from this: We ask before we assume' }).click();
    await alex.locator('article.agreement').first().waitFor();

    for (const page of [sam, alex]) {
      // The empty state is gone; the ideas are one disclosure away, closed.
      await expect.poll(() => page.getByText('A place to start').count()).toBe(0);
      const idea = page.getByText('Start from an idea', { exact: true });
      await idea.waitFor();
      expect(await page.getByRole('button', { name: 'Start from this: Phones and passwords' }).isVisible()).toBe(false);
      expect(await page.locator('details.starters-more').getAttribute('open')).toBeNull();
    }

    // Alex opens it from the keyboard and picks one; both see it, and the one taken is marked.
    await alex.locator('details.starters-more > summary').focus();
    await alex.keyboard.press('Enter');
    const pick = alex.getByRole('button', { name: 'Start from this: Phones and passwords' });
    await pick.waitFor();
    await alex.getByText('You have one with this title already.').waitFor();
    await pick.focus();
    await alex.keyboard.press('Enter');
    await alex.getByRole('status').getByText('Added “Phones and passwords” to your agreements.').waitFor();
    await expect.poll(() => sam.locator('article.agreement').count()).toBe(2);
    expect(await alex.getByText('You have one with this title already.').count()).toBe(2);
    expect(await seriousViolations(alex), 'the ideas open under the add form').toEqual([]);
    await h.shoot(alex, 'starters-open');
    await h.shoot(sam, 'starters-closed');
  });
});
