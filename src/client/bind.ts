import type { Commands, IdentityInput } from '../commands/commands.js';
import type { ChatMessage, ChatState, Topic, VisitorIdentity } from '../state/types.js';
import type { Chat, ChatClient, ClientContact, MenuItem } from './chat-client.js';
import { PROFILE_FIELDS } from '../protocol/identity.js';

const toTopic = (m: MenuItem): Topic =>
  Object.freeze({
    id: m.id,
    name: m.name ?? String(m.id),
    channels: Object.freeze(m.channels.filter((c) => c.enabled).map((c) => c.type)),
    children: Object.freeze((m.children ?? []).filter((c) => c.enabled).map(toTopic)),
  });

const toChat = (c: Chat, previous: ChatState | null): ChatState =>
  Object.freeze({
    id: c.id,
    status: c.status,
    menuId: c.menu_id,
    waitSeconds: previous?.id === c.id ? previous.waitSeconds : null,
    rated: previous?.id === c.id ? previous.rated : c.rating !== null,
    surveyed: previous?.id === c.id ? previous.surveyed : false,
    transcriptSent: previous?.id === c.id ? previous.transcriptSent : false,
  });

const toIdentity = (c: ClientContact, verified: boolean): VisitorIdentity => {
  const out: Record<string, unknown> = { verified };
  for (const key of PROFILE_FIELDS) {
    if (c[key]) out[key] = c[key];
  }
  if (c.custom_data && Object.keys(c.custom_data).length) out['custom_data'] = c.custom_data;
  return Object.freeze(out) as VisitorIdentity;
};

/**
 * Connects the widget's commands to a ChatClient: what the visitor does goes
 * to the server through the client, and what the server says becomes new
 * snapshots. Returns a function that undoes it.
 */
export function bindClient(commands: Commands, client: ChatClient): () => void {
  const { store } = commands;
  let lifecycleLoaded = false;
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  commands.remote = {
    send: (message, conversationFields) => {
      void client.sendTextMessage(message.content, { clientId: message.clientId ?? message.id, createdAt: message.createdAt, conversationFields });
    },
    retry: (clientId) => void client.retryMessage(clientId),
    discard: (clientId) => void client.discardMessage(clientId),
    markRead: () => void client.markRead(),
    identify: async (identity: IdentityInput) => {
      await client.identify(identity);
    },
    identityToken: () => client.identityToken(),
    reset: () => client.resetSession(),
    track: (name, data) => void client.trackEvent(name, data).catch(() => {}),
    typing: (typing) => void client.sendTyping(typing),
    startChat: async (topicId, lang) => {
      if (store.state.afterHours) {
        store.update({ view: 'email' });
        return;
      }
      const fields = store.state.conversationFields;
      const chat = await client.createChat({ menu_id: topicId, lang }, Object.keys(fields).length ? { ...fields } : undefined);
      store.update((s) => ({ chat: toChat(chat, s.chat), view: 'conversation' }));
      commands.replaceMessages(await client.fetchMessages());
      await refreshWait();
    },
    attachFile: async (file) => {
      try {
        await client.sendFileMessage(file);
      } finally {
        store.update({ upload: null });
      }
    },
    finishChat: async () => {
      const chat = await client.finishChat();
      await afterChat(chat);
    },
    escalateChat: async () => {
      const chat = await client.escalateChat();
      store.update((s) => ({ chat: toChat(chat, s.chat) }));
      await refreshWait();
    },
    rateChat: async (rating, feedback) => {
      await client.sendChatRate({ rating, ...(feedback ? { feedback } : {}) });
      store.update((s) => ({ chat: s.chat && Object.freeze({ ...s.chat, rated: true }) }));
    },
    answerSurvey: async (answers) => {
      await client.sendChatSurvey(answers);
      store.update((s) => ({ chat: s.chat && Object.freeze({ ...s.chat, surveyed: true }) }));
    },
    sendTranscript: async (email) => {
      await client.sendChatTranscripts([email]);
      store.update((s) => ({ chat: s.chat && Object.freeze({ ...s.chat, transcriptSent: true }) }));
    },
    submitTicket: async (key, values) => (await client.createTicket(key, values as Record<string, string>)).id,
    searchArticles: (query, locale) => client.searchArticles(query, locale),
    getArticle: (locale, slug) => client.getArticle(locale, slug),
    sessionData: (update) => void client.updateSessionData({ ...update, segments: update.segments ? [...update.segments] : undefined }).catch(() => {}),
    callSlots: (topicId) => client.getTimeSlots(topicId, lang()),
    requestCall: async ({ topicId, phone, slot }) => {
      await client.createCall({ menu_id: topicId, lang: lang(), phone_number: phone, ...(slot ? { scheduled_at: slot } : {}) });
    },
    meetingTypes: () => client.getMeetingTypes(lang()),
    meetingSlots: (id) => client.getMeetingSlots(id),
    book: async ({ meetingTypeId, slot, name, email }) => {
      await client.bookMeeting({ meeting_type_id: meetingTypeId, starts_at: slot, name, email });
    },
    cobrowseCode: async () => (await client.createCobrowseCode()).code,
    startCobrowse: async () => {
      await client.startCobrowse();
    },
    stopCobrowse: () => client.stopCobrowse(),
    csCommand: async (text) => {
      await client.sendCommand(text);
    },
    sendEmail: async ({ topicId, ...input }) => {
      await client.createEmail({ ...input, menu_id: topicId });
      store.update({ notice: { kind: 'info', text: 'email-sent' } });
    },
  };

  const lang = () => store.state.locale || 'en';
  /** The expected wait of a queued chat, from the live queue. */
  const refreshWait = async () => {
    const chat = store.state.chat;
    if (!chat || chat.status !== 'queued' || chat.menuId === null) return;
    const wait = await client.getWaitTimes(chat.menuId).catch(() => null);
    store.update((s) => ({ chat: s.chat && Object.freeze({ ...s.chat, waitSeconds: wait?.chat ?? null }) }));
  };
  const afterChat = async (chat: Chat) => {
    store.update((s) => ({ chat: toChat(chat, s.chat), view: 'after-chat' }));
    const survey = await client.getChatSurvey(lang()).catch(() => null);
    if (survey) store.update({ survey: Object.freeze({ signOff: survey.sign_off_display_text, questions: Object.freeze(survey.questions as never) }) });
  };
  /** After the session loads: topics, hours, an ongoing chat, a proactive trigger. */
  const loadLifecycle = async () => {
    const [menus, afterHours, forms] = await Promise.all([
      client.getMenus(undefined, lang()).catch(() => null),
      client.getAfterHourMessage(lang()).catch(() => null),
      client.getTicketForms(lang()).catch(() => []),
    ]);
    const topics = Object.freeze((menus?.menus ?? []).filter((m) => m.enabled).map(toTopic));
    store.update({ topics, afterHours, ticketForms: Object.freeze(forms as never) });
    // A form the page asked for before the forms were known.
    const asked = store.state.ticket.key;
    if (asked && !forms.some((f) => f.key === asked)) {
      commands.error('unknown_form', `showTicketForm: no ticket form has the key "${asked}"; known: ${forms.map((f) => f.key).join(', ')}`);
      store.update({ ticket: Object.freeze({ key: null, values: Object.freeze({}), errors: Object.freeze({}), sentId: null }), view: 'conversation' });
    }
    // What the page set before the session existed.
    const { sessionData, segments } = store.state;
    if (Object.keys(sessionData).length || segments.length) void client.updateSessionData({ data: { ...sessionData }, ...(segments.length ? { segments: [...segments] } : {}) }).catch(() => {});
    const ongoing = topics.length ? await client.loadOngoingChat().catch(() => null) : null;
    if (ongoing) {
      // Back to the conversation from the topic picker; a view the visitor or page opened meanwhile stays.
      store.update((s) => ({ chat: toChat(ongoing, s.chat), view: s.view === 'topics' ? 'conversation' : s.view }));
      commands.replaceMessages(await client.fetchMessages());
      await refreshWait();
    } else if (topics.length && !store.state.messages.length && store.state.view === 'conversation') {
      store.update({ view: afterHours ? 'email' : 'topics' });
    }
    const trigger = await client.getTrigger().catch(() => null);
    if (trigger?.message) {
      setTimeout(() => {
        if (store.state.open || store.state.messages.length) return;
        commands.receive([
          Object.freeze({ id: `trigger-${trigger.id}`, author: 'bot' as const, content: trigger.message, createdAt: new Date().toISOString(), status: 'sent' as const, local: true }),
        ]);
      }, Math.max(0, trigger.delay_seconds * 1000 - 0));
    }
  };
  const offs = [
    client.on('chat.connected', ({ sessionId, unreadCount, chat }) => {
      if (chat) return; // a chat of the lifecycle: handled where it was created
      store.update((s) => ({ sessionId, ...(s.open ? {} : { unreadCount }) }));
    }),
    client.on('chat.history', () => {
      if (!lifecycleLoaded) {
        lifecycleLoaded = true;
        void loadLifecycle();
      }
    }),
    client.on('chat.updated', ({ chat }) => {
      const current = store.state.chat;
      if (!current || current.id !== chat.id) return;
      if (chat.status === 'finished' && current.status !== 'finished') {
        void afterChat({ ...chat, menu_id: current.menuId, lang: null, created_at: '', assigned_at: null, finished_at: null, agent: null, rating: null });
        return;
      }
      store.update({ chat: Object.freeze({ ...current, status: chat.status }) });
      void refreshWait();
    }),
    client.on('chat.upload', (upload) => store.update({ upload: Object.freeze(upload) })),
    client.on('chat.typingStarted', ({ name }) => {
      store.update({ typing: name ?? '' });
      // An indicator that is not renewed goes away.
      clearTimeout(typingTimer);
      typingTimer = setTimeout(() => store.update({ typing: null }), 6000);
    }),
    client.on('chat.read', ({ messageId }) => store.update({ readUpTo: messageId })),
    client.on('chat.typingEnded', () => {
      clearTimeout(typingTimer);
      store.update({ typing: null });
    }),
    client.on('chat.reset', () => {
      lifecycleLoaded = false;
      store.update({ chat: null, survey: null, upload: null, notice: null, view: 'conversation' });
    }),
    client.on('chat.switched', ({ unreadCount }) => {
      // Another person now: nothing of the previous one stays (their chat, messages, unread, preview, draft);
      // the new person's history and lifecycle (topics, an ongoing chat of theirs) load next.
      lifecycleLoaded = false;
      clearTimeout(typingTimer);
      store.update((s) => ({
        messages: Object.freeze([]) as readonly ChatMessage[],
        unreadCount: s.open ? 0 : unreadCount,
        preview: null,
        draft: '',
        user: Object.freeze({}),
        chat: null,
        survey: null,
        upload: null,
        notice: null,
        typing: null,
        readUpTo: null,
        view: 'conversation',
      }));
    }),
    client.on('chat.history', ({ messages }) => commands.replaceMessages(messages)),
    client.on('chat.message', ({ message }) => commands.receive([message])),
    client.on('chat.status', ({ connection }) => store.update({ connection })),
    client.on('chat.availability', ({ available }) => store.update({ available })),
    client.on('chat.identified', ({ contact, verified }) => {
      const identity = toIdentity(contact, verified);
      store.update({ user: identity });
      commands.notices.emit('identify', { identity });
    }),
    client.on('chat.error', ({ code, message }) => commands.error(code, message)),
  ];
  return () => {
    clearTimeout(typingTimer);
    offs.forEach((off) => off());
    if (commands.remote) commands.remote = null;
  };
}
