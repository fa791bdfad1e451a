/**
 * The shapes the in-memory authnzerver's actions take and give: a request body, and the action dict a server
 * action returns, with builders for the reply shapes that several actions share. Each builder keeps the keys in
 * the order the real server sends them, which the recorded transcripts check.
 */

/** An action dict, as an authnzerver action function returns it. */
export type ActionDict = { success: boolean; messages: string[] } & Record<string, unknown>;

/** A request body that passed the server's parameter check. */
export type Body = Readonly<Record<string, unknown>>;

/** One message or several, as the list an action dict holds. */
const list = (messages: string | readonly string[]): string[] =>
  typeof messages === 'string' ? [messages] : [...messages];

/**
 * A failed action dict: `success` false, the failure reason, then `fields`' keys and the messages, in the order
 * most of the server's actions send them.
 */
export function fail(
  reason: string,
  messages: string | readonly string[],
  fields: Readonly<Record<string, unknown>> = {},
): ActionDict {
  return { success: false, failure_reason: reason, ...fields, messages: list(messages) };
}

/** A check's action dict: `success` is the verdict, with the same messages either way and a reason on failure. */
export function verdict(
  success: boolean,
  messages: string | readonly string[],
  reason: string,
): ActionDict {
  const reply: ActionDict = { success, messages: list(messages) };
  if (!success) reply.failure_reason = reason;
  return reply;
}

/**
 * The reply of an action on the user that a request names by `user_id` and `email`, both echoed back: a
 * success, or a failure when there is a reason.
 */
export function userReply(
  body: Body,
  reason: string | null,
  messages: string | readonly string[],
): ActionDict {
  const echo = { user_id: body.user_id, email: body.email };
  return reason === null
    ? { success: true, ...echo, messages: list(messages) }
    : fail(reason, messages, echo);
}

/** A failed action dict with a null `user_info` before the failure reason, as the user-editing actions send it. */
export const failWithoutUser = (reason: string, message: string): ActionDict => ({
  success: false,
  user_info: null,
  failure_reason: reason,
  messages: [message],
});

/** A successful action dict with a user dict (or a list of them) as `user_info`. */
export const userInfoReply = (userInfo: unknown, message: string): ActionDict => ({
  success: true,
  user_info: userInfo,
  messages: [message],
});
