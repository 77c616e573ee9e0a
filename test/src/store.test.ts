import { expect } from '@open-wc/testing';
import { Store } from '../../src/state/store.js';
import { initialState, type WidgetState } from '../../src/state/types.js';

describe('Store: one immutable snapshot', () => {
  it('publishes a new frozen snapshot for a patch that changes something, with the one before', () => {
    const store = new Store<WidgetState>(initialState);
    const seen: [WidgetState, WidgetState][] = [];
    store.subscribe((next, prev) => seen.push([next, prev]));
    const before = store.state;
    const after = store.update({ theme: 'dark' });
    expect(seen).to.have.length(1);
    expect(seen[0]![0]).to.equal(after);
    expect(seen[0]![1]).to.equal(before);
    expect(after.theme).to.equal('dark');
    expect(before.theme).to.equal('auto');
    expect(Object.isFrozen(after)).to.equal(true);
  });

  it('publishes nothing for a patch that changes nothing', () => {
    const store = new Store<WidgetState>(initialState);
    let count = 0;
    store.subscribe(() => count++);
    const before = store.state;
    expect(store.update({ theme: 'auto', open: false })).to.equal(before);
    expect(store.update({})).to.equal(before);
    expect(count).to.equal(0);
  });

  it('takes a function of the current snapshot', () => {
    const store = new Store<WidgetState>(initialState);
    store.update({ unreadCount: 2 });
    store.update((s) => ({ unreadCount: s.unreadCount + 1 }));
    expect(store.state.unreadCount).to.equal(3);
  });

  it('stops telling a listener that unsubscribed, and a listener that unsubscribes while notified does not stop the others', () => {
    const store = new Store<WidgetState>(initialState);
    const calls: string[] = [];
    const offA = store.subscribe(() => {
      calls.push('a');
      offA();
    });
    store.subscribe(() => calls.push('b'));
    store.update({ muted: true });
    store.update({ muted: false });
    expect(calls).to.deep.equal(['a', 'b', 'b']);
  });
});
