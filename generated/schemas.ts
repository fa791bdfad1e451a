// Generated from schema/authnzerver.yaml by authnzerver-codegen. Do not edit: change the YAML, then run npm run generate.
import * as z from 'zod/mini';
import { schema } from '../src/runtime.js';
import type * as T from './types.js';
/** Returns the schema that checks a {@link T.UserInfo} (unknown keys are kept), built on its first call. */
export const UserInfoSchema = schema.once(
  () =>
    z.looseObject({
      user_id: z.int(),
      system_id: z.string(),
      full_name: z.nullable(z.string()),
      email: z.string(),
      email_verified: z.boolean(),
      is_active: z.boolean(),
      last_login_try: z.nullable(z.string()),
      last_login_success: z.nullable(z.string()),
      failed_login_tries: z.nullable(z.int()),
      created_on: z.string(),
      last_updated: z.string(),
      user_role: z.string(),
      extra_info: z.nullable(z.record(z.string(), z.unknown())),
      emailverify_sent_datetime: z.nullable(z.string()),
      emailforgotpass_sent_datetime: z.nullable(z.string()),
      emailchangepass_sent_datetime: z.nullable(z.string()),
    }) satisfies z.ZodMiniType<T.UserInfo>,
);
/** Returns the schema that checks a {@link T.SessionInfo} (unknown keys are kept), built on its first call. */
export const SessionInfoSchema = schema.once(
  () =>
    z.looseObject({
      user_id: z.int(),
      system_id: z.string(),
      full_name: z.nullable(z.string()),
      email: z.string(),
      extra_info: z.nullable(z.record(z.string(), z.unknown())),
      email_verified: z.boolean(),
      emailverify_sent_datetime: z.nullable(z.string()),
      is_active: z.boolean(),
      last_login_try: z.nullable(z.string()),
      last_login_success: z.nullable(z.string()),
      created_on: z.string(),
      user_role: z.string(),
      session_token: z.string(),
      ip_address: z.string(),
      user_agent: z.string(),
      created: z.string(),
      expires: z.string(),
      extra_info_json: z.nullable(z.record(z.string(), z.unknown())),
    }) satisfies z.ZodMiniType<T.SessionInfo>,
);
/** Returns the schema that checks a {@link T.EditedSessionInfo} (unknown keys are kept), built on its first call. */
export const EditedSessionInfoSchema = schema.once(
  () =>
    z.looseObject({
      user_id: z.int(),
      session_token: z.string(),
      ip_address: z.string(),
      user_agent: z.string(),
      created: z.string(),
      expires: z.string(),
      extra_info_json: z.record(z.string(), z.unknown()),
    }) satisfies z.ZodMiniType<T.EditedSessionInfo>,
);
/** Returns the schema that checks a {@link T.ApiKeyPayload} (unknown keys are kept), built on its first call. */
export const ApiKeyPayloadSchema = schema.once(
  () =>
    z.looseObject({
      iss: z.string(),
      ver: z.union([z.string(), z.int()]),
      uid: z.int(),
      rol: z.string(),
      usa: z.optional(z.string()),
      aud: z.string(),
      sub: z.string(),
      ipa: z.string(),
      tkn: z.string(),
      iat: z.string(),
      nbf: z.string(),
      exp: z.string(),
    }) satisfies z.ZodMiniType<T.ApiKeyPayload>,
);
/** The zod/mini schemas of every request type, by wire name: `body` is strict (unknown keys are errors), `success` and `failure` are loose (unknown keys are kept). A request type's three schemas are built when it is first read. */
export const schemas = schema.lazily({
  'session-new': () => ({
    body: z.strictObject({
      ip_address: z.string(),
      user_agent: z.string(),
      user_id: z.nullable(z.int()),
      expires: schema.datetime(),
      extra_info_json: z.nullable(z.record(z.string(), z.unknown())),
      client_ipaddr: z.string(),
    }) satisfies z.ZodMiniType<T.SessionNewBody>,
    success: z.looseObject({
      session_token: z.string(),
      expires: z.string(),
    }) satisfies z.ZodMiniType<T.SessionNewSuccess>,
    failure: z.looseObject({
      session_token: z.null(),
      expires: z.null(),
    }) satisfies z.ZodMiniType<T.SessionNewFailure>,
  }),
  'session-exists': () => ({
    body: z.strictObject({
      session_token: z.string(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodMiniType<T.SessionExistsBody>,
    success: z.looseObject({
      session_info: SessionInfoSchema(),
    }) satisfies z.ZodMiniType<T.SessionExistsSuccess>,
    failure: z.looseObject({
      session_info: z.null(),
    }) satisfies z.ZodMiniType<T.SessionExistsFailure>,
  }),
  'session-delete': () => ({
    body: z.strictObject({
      session_token: z.string(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodMiniType<T.SessionDeleteBody>,
    success: z.looseObject({}) satisfies z.ZodMiniType<T.SessionDeleteSuccess>,
    failure: z.looseObject({}) satisfies z.ZodMiniType<T.SessionDeleteFailure>,
  }),
  'session-delete-userid': () => ({
    body: z.strictObject({
      session_token: z.string(),
      user_id: z.int(),
      keep_current_session: z.boolean(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodMiniType<T.SessionDeleteUseridBody>,
    success: z.looseObject({}) satisfies z.ZodMiniType<T.SessionDeleteUseridSuccess>,
    failure: z.looseObject({}) satisfies z.ZodMiniType<T.SessionDeleteUseridFailure>,
  }),
  'user-login': () => ({
    body: z.strictObject({
      session_token: z.string(),
      email: z.string(),
      password: z.string(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodMiniType<T.UserLoginBody>,
    success: z.looseObject({
      user_id: z.int(),
      user_role: z.string(),
    }) satisfies z.ZodMiniType<T.UserLoginSuccess>,
    failure: z.looseObject({
      user_id: z.nullable(z.int()),
    }) satisfies z.ZodMiniType<T.UserLoginFailure>,
  }),
  'user-logout': () => ({
    body: z.strictObject({
      session_token: z.string(),
      user_id: z.int(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodMiniType<T.UserLogoutBody>,
    success: z.looseObject({ user_id: z.int() }) satisfies z.ZodMiniType<T.UserLogoutSuccess>,
    failure: z.looseObject({ user_id: z.int() }) satisfies z.ZodMiniType<T.UserLogoutFailure>,
  }),
  'user-passcheck': () => ({
    body: z.strictObject({
      session_token: z.string(),
      password: z.string(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodMiniType<T.UserPasscheckBody>,
    success: z.looseObject({
      user_id: z.int(),
      user_role: z.string(),
    }) satisfies z.ZodMiniType<T.UserPasscheckSuccess>,
    failure: z.looseObject({
      user_id: z.nullable(z.int()),
    }) satisfies z.ZodMiniType<T.UserPasscheckFailure>,
  }),
  'user-passcheck-nosession': () => ({
    body: z.strictObject({
      email: z.string(),
      password: z.string(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodMiniType<T.UserPasscheckNosessionBody>,
    success: z.looseObject({
      user_id: z.int(),
      user_role: z.string(),
    }) satisfies z.ZodMiniType<T.UserPasscheckNosessionSuccess>,
    failure: z.looseObject({
      user_id: z.nullable(z.int()),
    }) satisfies z.ZodMiniType<T.UserPasscheckNosessionFailure>,
  }),
  'user-new': () => ({
    body: z.strictObject({
      full_name: z.string(),
      email: z.string(),
      password: z.string(),
      extra_info: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
      verify_retry_wait: z.optional(z.nullable(z.int())),
      system_id: z.optional(z.nullable(z.string())),
      client_ipaddr: z.string(),
    }) satisfies z.ZodMiniType<T.UserNewBody>,
    success: z.looseObject({
      user_email: z.string(),
      user_id: z.int(),
      system_id: z.string(),
      send_verification: z.boolean(),
    }) satisfies z.ZodMiniType<T.UserNewSuccess>,
    failure: z.looseObject({
      user_email: z.nullable(z.string()),
      user_id: z.nullable(z.int()),
      system_id: z.optional(z.string()),
      send_verification: z.boolean(),
    }) satisfies z.ZodMiniType<T.UserNewFailure>,
  }),
  'user-changepass': () => ({
    body: z.strictObject({
      user_id: z.int(),
      session_token: z.string(),
      full_name: z.string(),
      email: z.string(),
      current_password: z.string(),
      new_password: z.string(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodMiniType<T.UserChangepassBody>,
    success: z.looseObject({
      user_id: z.int(),
      email: z.string(),
    }) satisfies z.ZodMiniType<T.UserChangepassSuccess>,
    failure: z.looseObject({
      user_id: z.int(),
      email: z.string(),
    }) satisfies z.ZodMiniType<T.UserChangepassFailure>,
  }),
  'user-changepass-nosession': () => ({
    body: z.strictObject({
      user_id: z.int(),
      full_name: z.string(),
      email: z.string(),
      current_password: z.string(),
      new_password: z.string(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodMiniType<T.UserChangepassNosessionBody>,
    success: z.looseObject({
      user_id: z.int(),
      email: z.string(),
    }) satisfies z.ZodMiniType<T.UserChangepassNosessionSuccess>,
    failure: z.looseObject({
      user_id: z.int(),
      email: z.string(),
    }) satisfies z.ZodMiniType<T.UserChangepassNosessionFailure>,
  }),
  'user-delete': () => ({
    body: z.strictObject({
      email: z.string(),
      user_id: z.int(),
      password: z.string(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodMiniType<T.UserDeleteBody>,
    success: z.looseObject({
      user_id: z.int(),
      email: z.string(),
    }) satisfies z.ZodMiniType<T.UserDeleteSuccess>,
    failure: z.looseObject({
      user_id: z.int(),
      email: z.string(),
    }) satisfies z.ZodMiniType<T.UserDeleteFailure>,
  }),
  'user-list': () => ({
    body: z.strictObject({
      user_id: z.nullable(z.int()),
      client_ipaddr: z.string(),
    }) satisfies z.ZodMiniType<T.UserListBody>,
    success: z.looseObject({
      user_info: z.array(UserInfoSchema()),
    }) satisfies z.ZodMiniType<T.UserListSuccess>,
    failure: z.looseObject({ user_info: z.null() }) satisfies z.ZodMiniType<T.UserListFailure>,
  }),
  'user-lookup-email': () => ({
    body: z.strictObject({
      email: z.string(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodMiniType<T.UserLookupEmailBody>,
    success: z.looseObject({
      user_info: UserInfoSchema(),
    }) satisfies z.ZodMiniType<T.UserLookupEmailSuccess>,
    failure: z.looseObject({
      user_info: z.null(),
    }) satisfies z.ZodMiniType<T.UserLookupEmailFailure>,
  }),
  'user-lookup-match': () => ({
    body: z.strictObject({
      by: z.string(),
      match: schema.anyValue(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodMiniType<T.UserLookupMatchBody>,
    success: z.looseObject({
      user_info: z.array(UserInfoSchema()),
    }) satisfies z.ZodMiniType<T.UserLookupMatchSuccess>,
    failure: z.looseObject({
      user_info: z.null(),
    }) satisfies z.ZodMiniType<T.UserLookupMatchFailure>,
  }),
  'user-edit': () => ({
    body: z.strictObject({
      user_id: z.int(),
      user_role: z.string(),
      session_token: z.string(),
      target_userid: z.int(),
      update_dict: z.record(z.string(), z.unknown()),
      client_ipaddr: z.string(),
    }) satisfies z.ZodMiniType<T.UserEditBody>,
    success: z.looseObject({
      user_info: UserInfoSchema(),
    }) satisfies z.ZodMiniType<T.UserEditSuccess>,
    failure: z.looseObject({ user_info: z.null() }) satisfies z.ZodMiniType<T.UserEditFailure>,
  }),
  'user-resetpass': () => ({
    body: z.strictObject({
      email_address: z.string(),
      new_password: z.string(),
      session_token: z.string(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodMiniType<T.UserResetpassBody>,
    success: z.looseObject({}) satisfies z.ZodMiniType<T.UserResetpassSuccess>,
    failure: z.looseObject({}) satisfies z.ZodMiniType<T.UserResetpassFailure>,
  }),
  'user-resetpass-nosession': () => ({
    body: z.strictObject({
      email_address: z.string(),
      new_password: z.string(),
      required_active: z.boolean(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodMiniType<T.UserResetpassNosessionBody>,
    success: z.looseObject({}) satisfies z.ZodMiniType<T.UserResetpassNosessionSuccess>,
    failure: z.looseObject({}) satisfies z.ZodMiniType<T.UserResetpassNosessionFailure>,
  }),
  'user-lock': () => ({
    body: z.strictObject({
      user_id: z.int(),
      user_role: z.string(),
      session_token: z.string(),
      target_userid: z.int(),
      action: z.enum(['lock', 'unlock']),
      client_ipaddr: z.string(),
    }) satisfies z.ZodMiniType<T.UserLockBody>,
    success: z.looseObject({
      user_info: UserInfoSchema(),
    }) satisfies z.ZodMiniType<T.UserLockSuccess>,
    failure: z.looseObject({ user_info: z.null() }) satisfies z.ZodMiniType<T.UserLockFailure>,
  }),
  'user-validatepass': () => ({
    body: z.strictObject({
      password: z.string(),
      email: z.string(),
      full_name: z.string(),
      min_pass_length: z.optional(z.int()),
      max_unsafe_similarity: z.optional(z.int()),
      max_character_frequency: z.optional(z.number()),
      min_pwned_matches: z.optional(z.int()),
      client_ipaddr: z.string(),
    }) satisfies z.ZodMiniType<T.UserValidatepassBody>,
    success: z.looseObject({}) satisfies z.ZodMiniType<T.UserValidatepassSuccess>,
    failure: z.looseObject({}) satisfies z.ZodMiniType<T.UserValidatepassFailure>,
  }),
  'user-sendemail-signup': () => ({
    body: z.strictObject({
      email_address: z.int(),
      session_token: z.string(),
      created_info: z.string(),
      server_name: z.string(),
      server_baseurl: z.string(),
      server_verify_url: z.string(),
      verification_token: z.string(),
      verification_expiry: z.int(),
      emailuser: z.optional(z.nullable(z.string())),
      emailpass: z.optional(z.nullable(z.string())),
      emailserver: z.optional(z.string()),
      emailport: z.optional(z.int()),
      emailsender: z.optional(z.string()),
      client_ipaddr: z.string(),
    }) satisfies z.ZodMiniType<T.UserSendemailSignupBody>,
    success: z.looseObject({
      user_id: z.int(),
      email_address: z.string(),
      emailverify_sent_datetime: z.string(),
    }) satisfies z.ZodMiniType<T.UserSendemailSignupSuccess>,
    failure: z.looseObject({
      user_id: z.null(),
      email_address: z.null(),
      emailverify_sent_datetime: z.null(),
    }) satisfies z.ZodMiniType<T.UserSendemailSignupFailure>,
  }),
  'user-sendemail-forgotpass': () => ({
    body: z.strictObject({
      email_address: z.int(),
      session_token: z.string(),
      server_name: z.string(),
      server_baseurl: z.string(),
      password_forgot_url: z.string(),
      verification_token: z.string(),
      verification_expiry: z.int(),
      emailuser: z.optional(z.nullable(z.string())),
      emailpass: z.optional(z.nullable(z.string())),
      emailserver: z.optional(z.string()),
      emailport: z.optional(z.int()),
      emailsender: z.optional(z.string()),
      client_ipaddr: z.string(),
    }) satisfies z.ZodMiniType<T.UserSendemailForgotpassBody>,
    success: z.looseObject({
      user_id: z.int(),
      email_address: z.string(),
      emailforgotpass_sent_datetime: z.string(),
    }) satisfies z.ZodMiniType<T.UserSendemailForgotpassSuccess>,
    failure: z.looseObject({
      user_id: z.null(),
      email_address: z.null(),
      emailforgotpass_sent_datetime: z.null(),
    }) satisfies z.ZodMiniType<T.UserSendemailForgotpassFailure>,
  }),
  'user-set-emailverified': () => ({
    body: z.strictObject({
      email: z.string(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodMiniType<T.UserSetEmailverifiedBody>,
    success: z.looseObject({
      user_id: z.int(),
      is_active: z.boolean(),
      user_role: z.string(),
    }) satisfies z.ZodMiniType<T.UserSetEmailverifiedSuccess>,
    failure: z.looseObject({
      user_id: z.null(),
      is_active: z.boolean(),
      user_role: z.string(),
    }) satisfies z.ZodMiniType<T.UserSetEmailverifiedFailure>,
  }),
  'user-set-emailsent': () => ({
    body: z.strictObject({
      email: z.string(),
      email_type: z.enum(['signup', 'forgotpass']),
      client_ipaddr: z.string(),
    }) satisfies z.ZodMiniType<T.UserSetEmailsentBody>,
    success: z.looseObject({
      email: z.string(),
      emailverify_sent_datetime: z.nullable(z.string()),
      emailforgotpass_sent_datetime: z.nullable(z.string()),
      user_id: z.int(),
      is_active: z.boolean(),
      user_role: z.string(),
    }) satisfies z.ZodMiniType<T.UserSetEmailsentSuccess>,
    failure: z.looseObject({}) satisfies z.ZodMiniType<T.UserSetEmailsentFailure>,
  }),
  'apikey-new': () => ({
    body: z.strictObject({
      issuer: z.string(),
      audience: z.string(),
      subject: z.string(),
      apiversion: z.union([z.string(), z.int()]),
      expires_days: z.int(),
      not_valid_before: z.number(),
      user_id: z.int(),
      user_role: z.string(),
      ip_address: z.string(),
      user_agent: z.string(),
      session_token: z.string(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodMiniType<T.ApikeyNewBody>,
    success: z.looseObject({
      apikey: schema.jsonString(ApiKeyPayloadSchema()),
      expires: z.string(),
    }) satisfies z.ZodMiniType<T.ApikeyNewSuccess>,
    failure: z.looseObject({
      apikey: z.optional(z.null()),
      expires: z.optional(z.null()),
    }) satisfies z.ZodMiniType<T.ApikeyNewFailure>,
  }),
  'apikey-verify': () => ({
    body: z.strictObject({
      apikey_dict: ApiKeyPayloadSchema(),
      user_id: z.int(),
      user_role: z.string(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodMiniType<T.ApikeyVerifyBody>,
    success: z.looseObject({}) satisfies z.ZodMiniType<T.ApikeyVerifySuccess>,
    failure: z.looseObject({}) satisfies z.ZodMiniType<T.ApikeyVerifyFailure>,
  }),
  'apikey-revoke': () => ({
    body: z.strictObject({
      apikey_dict: ApiKeyPayloadSchema(),
      user_id: z.int(),
      user_role: z.string(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodMiniType<T.ApikeyRevokeBody>,
    success: z.looseObject({}) satisfies z.ZodMiniType<T.ApikeyRevokeSuccess>,
    failure: z.looseObject({}) satisfies z.ZodMiniType<T.ApikeyRevokeFailure>,
  }),
  'apikey-new-nosession': () => ({
    body: z.strictObject({
      issuer: z.string(),
      audience: z.string(),
      subject: z.string(),
      apiversion: z.union([z.string(), z.int()]),
      expires_seconds: z.int(),
      not_valid_before: z.number(),
      user_id: z.int(),
      user_role: z.string(),
      ip_address: z.string(),
      refresh_expires: z.int(),
      refresh_nbf: z.number(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodMiniType<T.ApikeyNewNosessionBody>,
    success: z.looseObject({
      apikey: schema.jsonString(ApiKeyPayloadSchema()),
      expires: z.string(),
      refresh_token: z.string(),
      refresh_token_expires: z.string(),
    }) satisfies z.ZodMiniType<T.ApikeyNewNosessionSuccess>,
    failure: z.looseObject({}) satisfies z.ZodMiniType<T.ApikeyNewNosessionFailure>,
  }),
  'apikey-verify-nosession': () => ({
    body: z.strictObject({
      apikey_dict: ApiKeyPayloadSchema(),
      user_id: z.int(),
      user_role: z.string(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodMiniType<T.ApikeyVerifyNosessionBody>,
    success: z.looseObject({}) satisfies z.ZodMiniType<T.ApikeyVerifyNosessionSuccess>,
    failure: z.looseObject({}) satisfies z.ZodMiniType<T.ApikeyVerifyNosessionFailure>,
  }),
  'apikey-revoke-nosession': () => ({
    body: z.strictObject({
      apikey_dict: ApiKeyPayloadSchema(),
      user_id: z.int(),
      user_role: z.string(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodMiniType<T.ApikeyRevokeNosessionBody>,
    success: z.looseObject({}) satisfies z.ZodMiniType<T.ApikeyRevokeNosessionSuccess>,
    failure: z.looseObject({}) satisfies z.ZodMiniType<T.ApikeyRevokeNosessionFailure>,
  }),
  'apikey-revokeall-nosession': () => ({
    body: z.strictObject({
      apikey_dict: ApiKeyPayloadSchema(),
      user_id: z.int(),
      user_role: z.string(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodMiniType<T.ApikeyRevokeallNosessionBody>,
    success: z.looseObject({
      revoked_keys: z.int(),
    }) satisfies z.ZodMiniType<T.ApikeyRevokeallNosessionSuccess>,
    failure: z.looseObject({}) satisfies z.ZodMiniType<T.ApikeyRevokeallNosessionFailure>,
  }),
  'apikey-refresh-nosession': () => ({
    body: z.strictObject({
      apikey_dict: ApiKeyPayloadSchema(),
      user_id: z.int(),
      user_role: z.string(),
      refresh_token: z.string(),
      ip_address: z.string(),
      expires_seconds: z.int(),
      not_valid_before: z.number(),
      refresh_expires: z.int(),
      refresh_nbf: z.number(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodMiniType<T.ApikeyRefreshNosessionBody>,
    success: z.looseObject({
      apikey: schema.jsonString(ApiKeyPayloadSchema()),
      expires: z.string(),
      refresh_token: z.string(),
      refresh_token_expires: z.string(),
    }) satisfies z.ZodMiniType<T.ApikeyRefreshNosessionSuccess>,
    failure: z.looseObject({}) satisfies z.ZodMiniType<T.ApikeyRefreshNosessionFailure>,
  }),
  'user-check-access': () => ({
    body: z.strictObject({
      user_id: z.int(),
      user_role: z.string(),
      action: z.string(),
      target_name: z.string(),
      target_owner: z.int(),
      target_visibility: z.string(),
      target_sharedwith: z.string(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodMiniType<T.UserCheckAccessBody>,
    success: z.looseObject({}) satisfies z.ZodMiniType<T.UserCheckAccessSuccess>,
    failure: z.looseObject({}) satisfies z.ZodMiniType<T.UserCheckAccessFailure>,
  }),
  'user-check-limit': () => ({
    body: z.strictObject({
      user_id: z.int(),
      user_role: z.string(),
      limit_name: z.string(),
      value_to_check: schema.anyValue(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodMiniType<T.UserCheckLimitBody>,
    success: z.looseObject({}) satisfies z.ZodMiniType<T.UserCheckLimitSuccess>,
    failure: z.looseObject({}) satisfies z.ZodMiniType<T.UserCheckLimitFailure>,
  }),
  'internal-user-lock': () => ({
    body: z.strictObject({
      target_userid: z.int(),
      action: z.enum(['lock', 'unlock']),
      client_ipaddr: z.string(),
    }) satisfies z.ZodMiniType<T.InternalUserLockBody>,
    success: z.looseObject({
      user_info: UserInfoSchema(),
    }) satisfies z.ZodMiniType<T.InternalUserLockSuccess>,
    failure: z.looseObject({
      user_info: z.null(),
    }) satisfies z.ZodMiniType<T.InternalUserLockFailure>,
  }),
  'internal-user-delete': () => ({
    body: z.strictObject({
      target_userid: z.int(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodMiniType<T.InternalUserDeleteBody>,
    success: z.looseObject({
      user_id: z.int(),
    }) satisfies z.ZodMiniType<T.InternalUserDeleteSuccess>,
    failure: z.looseObject({}) satisfies z.ZodMiniType<T.InternalUserDeleteFailure>,
  }),
  'internal-user-edit': () => ({
    body: z.strictObject({
      target_userid: z.int(),
      update_dict: z.record(z.string(), z.unknown()),
      client_ipaddr: z.string(),
    }) satisfies z.ZodMiniType<T.InternalUserEditBody>,
    success: z.looseObject({
      user_info: UserInfoSchema(),
    }) satisfies z.ZodMiniType<T.InternalUserEditSuccess>,
    failure: z.looseObject({}) satisfies z.ZodMiniType<T.InternalUserEditFailure>,
  }),
  'internal-session-edit': () => ({
    body: z.strictObject({
      target_session_token: z.string(),
      update_dict: z.record(z.string(), z.unknown()),
      client_ipaddr: z.string(),
    }) satisfies z.ZodMiniType<T.InternalSessionEditBody>,
    success: z.looseObject({
      session_info: EditedSessionInfoSchema(),
    }) satisfies z.ZodMiniType<T.InternalSessionEditSuccess>,
    failure: z.looseObject({
      session_info: z.null(),
    }) satisfies z.ZodMiniType<T.InternalSessionEditFailure>,
  }),
});
