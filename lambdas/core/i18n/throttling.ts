import { defineMessages } from './catalogue';

/*
 * The refusal of a throttled request. In AWS, API Gateway answers it itself; locally, the gateway does
 * (local/rate-limit.ts): a catalogue of its own, so that no function's bundle carries it.
 */
export const throttlingMessages = defineMessages({
  too_many_requests: {
    vi: 'Có quá nhiều yêu cầu từ máy của bạn trong thời gian ngắn; vui lòng thử lại sau {seconds} giây.',
    en: 'Too many requests from your device in a short time; please try again in {seconds} s.',
  },
});
