/**
 * The headless SDK's chats: the current chat created, loaded, resumed, escalated, finished or
 * dismissed, its transcript, rating and survey. A chunk of its own (ChatClient imports it on the
 * first call): a page whose visitor only talks never loads it.
 */
import { isEmail } from '../../protocol/index.js';
import type { Core } from '../core.js';
import { checkChatId, checkEmail, checkLang, checkMenuId } from '../validate.js';
import type { Chat, ChatRequest } from '../wire.js';
import { currentChat } from './chats.js';

const ended = (chat: Chat): boolean => chat.status === 'finished' || chat.status === 'dismissed';

export async function createChat(core: Core, data: ChatRequest, customData?: Record<string, unknown>): Promise<Chat> {
  if (!data || typeof data !== 'object') throw new TypeError('createChat(data): expected {menu_id, lang, ...}');
  checkMenuId('createChat({menu_id})', data.menu_id);
  checkLang('createChat({lang})', data.lang);
  if (data.email !== undefined) checkEmail('createChat({email})', data.email);
  if (customData !== undefined && (typeof customData !== 'object' || customData === null || Array.isArray(customData))) {
    throw new TypeError('createChat(data, customData): customData must be a plain object');
  }
  await core.ready();
  const chat = await core.request<Chat>('POST', '/chats', { ...data, menu_id: Number(data.menu_id), ...(customData ? { custom_data: customData } : {}) });
  return use(core, chat);
}

/** The chat becomes the current one (unless it ended), kept in storage, and `chat.connected` says so. */
function use(core: Core, chat: Chat): Chat {
    core.chatId = ended(chat) ? core.chatId : chat.id;
  if (core.chatId) core.write(core.key('chat'), core.chatId);
  core.events.emit('chat.connected', { sessionId: core.sessionId!, resumed: false, unreadCount: 0, contact: null, chat });
  return chat;
}

export async function loadChat(core: Core, chatId: number | string): Promise<Chat> {
  checkChatId('loadChat(chatId)', chatId);
  await core.ready();
  return use(core, await core.request<Chat>('GET', `/chats/${encodeURIComponent(String(chatId))}`));
}

export async function resumeChat(core: Core, chatId: number | string): Promise<Chat> {
  checkChatId('resumeChat(chatId)', chatId);
  await core.ready();
  return use(core, await core.request<Chat>('POST', `/chats/${encodeURIComponent(String(chatId))}/resume`));
}

export async function loadOngoingChat(core: Core): Promise<Chat | null> {
    await core.ready();
  const stored = core.read(core.key('chat'));
  let chat: Chat | null = null;
  if (stored) chat = await core.request<Chat>('GET', `/chats/${encodeURIComponent(stored)}`).catch(() => null);
  if (!chat || ended(chat)) {
    chat = (await core.request<{ chat: Chat | null }>('GET', '/chats/ongoing')).chat;
  }
  if (!chat) {
    core.chatId = null;
    core.remove(core.key('chat'));
    return null;
  }
  use(core, chat);
  core.events.emit('chat.ongoing', { chat });
  return chat;
}

export async function getChatDeflection(core: Core): Promise<{ enabled: boolean; threshold: number; keep_waiting: boolean } | null> {
  const id = currentChat(core, 'getChatDeflection()');
  return (await core.request<{ deflection: { enabled: boolean; threshold: number; keep_waiting: boolean } | null }>('GET', `/chats/${id}/deflection`)).deflection;
}

/** A POST on the current chat (`/chats/:id/<action>`). */
async function onChat<T>(core: Core, method: string, action: string, body?: unknown): Promise<T> {
  return core.request<T>('POST', `/chats/${currentChat(core, method)}/${action}`, body);
}

/** Stops the AI agent's answer being written in the current chat; whether one was. */
export async function stopAnswer(core: Core): Promise<boolean> {
  return (await onChat<{ stopped: boolean }>(core, 'stopAnswer()', 'ai/stop')).stopped;
}

export async function escalateChat(core: Core): Promise<Chat> {
  return onChat(core, 'escalateChat()', 'escalate');
}

export async function finishChat(core: Core): Promise<Chat> {
  return onChat(core, 'finishChat()', 'finish');
}

export async function destroyChat(core: Core): Promise<Chat> {
  const id = currentChat(core, 'destroyChat()');
  const chat = await core.request<Chat>('DELETE', `/chats/${id}`);
  core.remove(core.key('chat'));
  return chat;
}

export async function sendChatTranscripts(core: Core, emails: string[]): Promise<{ id: string; status: string }> {
  if (!Array.isArray(emails) || !emails.length || emails.length > 5) throw new TypeError('sendChatTranscripts(emails): expected an array of 1 to 5 email addresses');
  const bad = emails.filter((e) => !isEmail(e));
  if (bad.length) throw new TypeError(`sendChatTranscripts(emails): not an email address: ${bad.map((e) => JSON.stringify(e)).join(', ')}`);
  return onChat(core, 'sendChatTranscripts()', 'transcripts', { emails });
}

export async function sendChatRate(core: Core, input: { rating: number; feedback?: string }): Promise<{ rating: number; feedback: string | null }> {
  if (!input || !Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5) throw new TypeError('sendChatRate({rating}): rating must be a whole number from 1 to 5');
  if (input.feedback !== undefined && typeof input.feedback !== 'string') throw new TypeError('sendChatRate({feedback}): feedback must be a string');
  return onChat(core, 'sendChatRate()', 'rate', input);
}

export async function sendChatSurvey(core: Core, answers: Record<string, number | string>): Promise<{ answered: number }> {
  if (!answers || typeof answers !== 'object' || Array.isArray(answers) || !Object.keys(answers).length) {
    throw new TypeError('sendChatSurvey(answers): expected {question_id: answer, ...}');
  }
  return onChat(core, 'sendChatSurvey()', 'survey', { answers });
}
