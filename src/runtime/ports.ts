import type { Ports } from '../commands/commands.js';
import type { ChatInfo } from '../commands/features/lifecycle.js';
import type { Article, SurveyQuestion, TicketFormDef, Topic, VisitorIdentity } from '../state/types.js';
import type { ChatClient, ChatClientEvents } from '../client/chat-client.js';
import { PROFILE_FIELDS } from '../protocol/identity.js';
import { EARLIER_PAGE, FIRST_PAGE } from '../client/api/chats.js';

type Chat = Awaited<ReturnType<ChatClient['createChat']>>;
type MenuItem = Awaited<ReturnType<ChatClient['getMenus']>>['menus'][number];
type ClientContact = ChatClientEvents['chat.identified']['contact'];

const toTopic = (m: MenuItem): Topic =>
  Object.freeze({
    id: m.id,
    name: m.name ?? String(m.id),
    channels: Object.freeze(m.channels.filter((c) => c.enabled).map((c) => c.type)),
    children: Object.freeze((m.children ?? []).filter((c) => c.enabled).map(toTopic)),
  });

const toChatInfo = (c: Chat): ChatInfo => ({ id: c.id, status: c.status, menuId: c.menu_id, rated: c.rating !== null });

/** The visitor's profile as the state keeps it, from the server's contact. */
export const toIdentity = (c: ClientContact, verified: boolean): VisitorIdentity => {
  const out: Record<string, unknown> = { verified };
  for (const key of PROFILE_FIELDS) {
    if (c[key]) out[key] = c[key];
  }
  if (c.custom_data && Object.keys(c.custom_data).length) out['custom_data'] = c.custom_data;
  return Object.freeze(out) as VisitorIdentity;
};

/**
 * The commands' ports over a ChatClient: each feature's server calls, with the
 * wire shapes turned into the state's (and back). Calls whose result nobody
 * waits for (delivery, typing, read, tracking) report failures through the client.
 */
export function clientPorts(client: ChatClient): Ports {
  return {
    // messaging
    send: (message, conversationFields) => {
      void client.sendTextMessage(message.content, { clientId: message.clientId ?? message.id, createdAt: message.createdAt, conversationFields });
    },
    retry: (clientId) => void client.retryMessage(clientId),
    discard: (clientId) => void client.discardMessage(clientId),
    markRead: () => void client.markRead(),
    typing: (typing) => void client.sendTyping(typing),
    csCommand: async (text) => {
      await client.sendCommand(text);
    },
    history: () => client.fetchMessagePage({ limit: FIRST_PAGE }),
    earlier: (before) => client.fetchMessagePage({ before, limit: EARLIER_PAGE }),
    // identity
    identify: async (identity) => {
      await client.identify(identity);
    },
    identityToken: () => client.identityToken(),
    reset: () => client.resetSession(),
    track: (name, data) => void client.trackEvent(name, data).catch(() => {}),
    sessionData: (update) => void client.updateSessionData({ ...update, segments: update.segments ? [...update.segments] : undefined }).catch(() => {}),
    // tickets
    submitTicket: async (key, values) => (await client.createTicket(key, values as Record<string, string>)).id,
    ticketForms: async (lang) => (await client.getTicketForms(lang)) as unknown as TicketFormDef[],
    // help
    searchArticles: (query, locale) => client.searchArticles(query, locale) as Promise<Article[]>,
    getArticle: (locale, slug) => client.getArticle(locale, slug) as Promise<Article>,
    rateArticle: (locale, slug, helpful, comment) => client.rateArticle(locale, slug, helpful, comment),
    // calls and booking
    callSlots: (topicId, lang) => client.getTimeSlots(topicId, lang),
    requestCall: async ({ topicId, phone, slot, lang }) => {
      await client.createCall({ menu_id: topicId, lang, phone_number: phone, ...(slot ? { scheduled_at: slot } : {}) });
    },
    meetingTypes: (lang) => client.getMeetingTypes(lang),
    meetingSlots: (id) => client.getMeetingSlots(id),
    book: async ({ meetingTypeId, slot, name, email }) => {
      await client.bookMeeting({ meeting_type_id: meetingTypeId, starts_at: slot, name, email });
    },
    // co-browsing
    cobrowseCode: async () => (await client.createCobrowseCode()).code,
    startCobrowse: async () => {
      await client.startCobrowse();
    },
    stopCobrowse: () => client.stopCobrowse(),
    // the chat lifecycle
    topics: async (lang) => Object.freeze((await client.getMenus(undefined, lang)).menus.filter((m) => m.enabled).map(toTopic)),
    afterHours: (lang) => client.getAfterHourMessage(lang),
    ongoingChat: async () => {
      const chat = await client.loadOngoingChat();
      return chat && toChatInfo(chat);
    },
    trigger: () => client.getTrigger(),
    createChat: async (topicId, lang, fields) =>
      toChatInfo(await client.createChat({ menu_id: topicId, lang }, Object.keys(fields).length ? { ...fields } : undefined)),
    waitSeconds: async (menuId) => (await client.getWaitTimes(menuId)).chat ?? null,
    attachFile: async (file) => {
      await client.sendFileMessage(file);
    },
    finishChat: async () => toChatInfo(await client.finishChat()),
    escalateChat: async () => toChatInfo(await client.escalateChat()),
    stopAnswer: () => client.stopAnswer(),
    survey: async (lang) => {
      const survey = await client.getChatSurvey(lang);
      if (!survey) return null;
      return Object.freeze({ signOff: survey.sign_off_display_text, questions: Object.freeze(survey.questions as unknown as SurveyQuestion[]) });
    },
    rateChat: async (rating, feedback) => {
      await client.sendChatRate({ rating, ...(feedback ? { feedback } : {}) });
    },
    answerSurvey: async (answers) => {
      await client.sendChatSurvey(answers);
    },
    sendTranscript: async (email) => {
      await client.sendChatTranscripts([email]);
    },
    sendEmail: async ({ topicId, ...input }) => {
      await client.createEmail({ ...input, menu_id: topicId });
    },
  };
}
