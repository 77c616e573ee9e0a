/**
 * Woes and Convot are chunks of their own: a page that never uses them never
 * fetches them; its first call after the elements are in is kept, fetches the
 * dialect and runs, in the order the page made its calls. The page loads the
 * built dist/widget.js from the chat server (another origin), as a site does.
 */
import { expect } from '@open-wc/testing';
import { loadWidgetScript, server, until, widget, type Workspace } from './page.js';

type Fn = (...args: unknown[]) => any;
const page = window as unknown as {
  Woes: Fn;
  Convot: Record<string, Fn>;
  web1on1: Record<string, Fn>;
};

/** The dialect chunks this page has fetched. */
const fetched = () =>
  performance
    .getEntriesByType('resource')
    .map((e) => e.name)
    .filter((name) => /\/chunks\/(woes|convot)-/.test(name))
    .map((name) => name.match(/\/chunks\/(woes|convot)-/)![1]);

describe('the Woes and Convot dialects load when the page uses them', () => {
  let ws: Workspace;

  before(async () => {
    localStorage.clear();
    ws = await server<Workspace>({ action: 'workspace' });
    await loadWidgetScript({ 'public-key': ws.publicKey, api: ws.api });
  });

  it('a page that has not used them has not fetched them, and web1on1 answers at once', async () => {
    // A moment for anything the widget would fetch on its own.
    await new Promise((r) => setTimeout(r, 300));
    expect(fetched()).to.deep.equal([]);
    page.web1on1.open();
    expect(page.web1on1.isOpen()).to.equal(true);
    page.web1on1.close();
    expect(page.web1on1.isOpen()).to.equal(false);
    expect(fetched()).to.deep.equal([]);
  });

  it('the first calls fetch their dialect and run in the order made; reads answer meanwhile', async () => {
    const seen: string[] = [];
    const el = widget()!;
    el.addEventListener('chat-show', () => seen.push('show'));
    el.addEventListener('chat-hide', () => seen.push('hide'));
    page.Woes('show');
    page.Convot.setMessageText('typed');
    page.Convot.close();
    page.web1on1.open();
    // Until Convot is in, reads answer from what the bootstrap knows.
    expect(page.Convot.ready()).to.equal(false);
    expect(page.Convot.get('message:text')).to.equal('typed');
    await until(() => page.Convot.ready(), 'Convot.ready()');
    await until(() => seen.length >= 3, () => `show, hide, show: ${seen.join(', ')}`);
    expect(seen).to.deep.equal(['show', 'hide', 'show']);
    expect(el.state.draft).to.equal('typed');
    expect(fetched().sort()).to.deep.equal(['convot', 'woes']);
    // From now on the dialects answer synchronously, as before.
    page.Convot.close();
    expect(page.Convot.is('chat:closed')).to.equal(true);
    page.Woes('show');
    expect(el.isOpen).to.equal(true);
  });
});
