import { msg } from '@lit/localize';

/**
 * What a visitor reads when something failed: a sentence in their language, by the error's code,
 * never the developer's message (that one goes to the page as `chat-error`, with its code).
 */
export function noticeText(notice: { readonly code?: string; readonly text: string }): string {
  switch (notice.code) {
    case 'network':
      return msg('We could not reach the server. Check your connection and try again.');
    case 'rate_limited':
      return msg('That was a lot at once. Please wait a moment and try again.');
    case 'file_too_large':
      return msg('This file is too large to send.');
    case 'unsupported_media_type':
    case 'prohibited_file_type':
      return msg('This type of file cannot be sent.');
    case 'empty_file':
      return msg('This file is empty.');
    case 'invalid_email':
      return msg('Please enter a valid email address.');
    case 'invalid_phone_number':
      return msg('Please enter your phone number with the country code, such as +44 20 7946 0958.');
    case 'slot_taken':
      return msg('Someone just booked that time. Please pick another one.');
    case 'no_meeting_types':
      return msg('Booking is not available yet: there is no meeting type to book.');
    case 'unknown_meeting_type':
      return msg('This meeting type does not exist.');
    case 'outside_business_hours':
      return msg('We are closed right now. Please leave us a message.');
    case 'chat_finished':
      return msg('This chat has ended. Start a new one to write to us.');
    default:
      return msg('Something went wrong. Please try again.');
  }
}
