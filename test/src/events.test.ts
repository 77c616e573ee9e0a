import { expect } from '@open-wc/testing';
import { eventsBetween } from '../../src/state/events.js';
import { initialState, type ChatMessage, type WidgetState } from '../../src/state/types.js';

const message = (id: string, author: ChatMessage['author'], extra: Partial<ChatMessage> = {}): ChatMessage =>
  Object.freeze({ id, author, content: `message ${id}`, createdAt: `2030-01-01T00:00:0${id}Z`, status: 'sent', ...extra });

const state = (patch: Partial<WidgetState>): WidgetState => Object.freeze({ ...initialState, ...patch });
const names = (prev: WidgetState, next: WidgetState) => eventsBetween(prev, next).map(([name]) => name);

describe('derived events: what a change between two snapshots fires', () => {
  it('fires nothing between equal snapshots, nor for a change that no event names (a draft, a view)', () => {
    expect(eventsBetween(initialState, initialState)).to.deep.equal([]);
    expect(eventsBetween(initialState, state({ draft: 'hi', view: 'topics', busy: true }))).to.deep.equal([]);
  });

  it('opening and closing, the launcher and the theme', () => {
    expect(eventsBetween(initialState, state({ open: true }))).to.deep.equal([['chat-show', {}]]);
    expect(eventsBetween(state({ open: true }), initialState)).to.deep.equal([['chat-hide', {}]]);
    expect(eventsBetween(initialState, state({ launcherVisible: false }))).to.deep.equal([['chat-launcher-visibility', { visible: false }]]);
    expect(eventsBetween(initialState, state({ theme: 'dark' }))).to.deep.equal([['chat-theme-change', { theme: 'dark' }]]);
  });

  it('a session loaded (not a session forgotten), availability', () => {
    expect(eventsBetween(initialState, state({ sessionId: 'ses_1' }))).to.deep.equal([['chat-session-loaded', { sessionId: 'ses_1' }]]);
    expect(eventsBetween(state({ sessionId: 'ses_1' }), initialState)).to.deep.equal([]);
    expect(eventsBetween(initialState, state({ available: true }))).to.deep.equal([['chat-availability-change', { available: true }]]);
  });

  it('one chat-user-change per profile field that got a value', () => {
    const next = state({ user: Object.freeze({ email: 'a@example.com', name: 'Ann', custom_data: { plan: 'pro' } }) });
    expect(eventsBetween(initialState, next)).to.deep.equal([
      ['chat-user-change', { field: 'email', value: 'a@example.com' }],
      ['chat-user-change', { field: 'name', value: 'Ann' }],
    ]);
    expect(eventsBetween(next, state({ user: Object.freeze({ email: 'a@example.com', name: 'Ann' }) }))).to.deep.equal([]);
  });

  it('new messages: sent for the visitor, received for others; a known message changing status fires nothing', () => {
    const mine = message('1', 'visitor', { clientId: 'c1', status: 'pending' });
    const theirs = message('2', 'agent');
    const one = state({ messages: [mine] });
    expect(eventsBetween(initialState, one)).to.deep.equal([['chat-message-sent', { message: mine }]]);
    const delivered = { ...mine, id: 'srv_1', status: 'sent' as const };
    expect(eventsBetween(one, state({ messages: [delivered] }))).to.deep.equal([]);
    expect(eventsBetween(one, state({ messages: [mine, theirs] }))).to.deep.equal([['chat-message-received', { message: theirs }]]);
  });

  it('unread count and the preview card, in that order', () => {
    const theirs = message('2', 'agent');
    const unread = state({ messages: [theirs], unreadCount: 1, preview: theirs });
    expect(names(initialState, unread)).to.deep.equal(['chat-message-received', 'chat-unread-change', 'chat-preview-show']);
    expect(eventsBetween(unread, state({ messages: [theirs] }))).to.deep.equal([
      ['chat-unread-change', { count: 0 }],
      ['chat-preview-hide', {}],
    ]);
  });
});
