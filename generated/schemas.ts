// Generated from schema/authnzerver.yaml by authnzerver-codegen. Do not edit: change the YAML, then run npm run generate.
import { schema, z } from '../src/runtime.js';
import type * as T from './types.js';
/** Checks a {@link T.UserInfo} (unknown keys are kept). */
export const UserInfoSchema = z.looseObject({
  user_id: z.int(),
  system_id: z.string(),
  full_name: z.string().nullable(),
  email: z.string(),
  email_verified: z.boolean(),
  is_active: z.boolean(),
  last_login_try: z.string().nullable(),
  last_login_success: z.string().nullable(),
  failed_login_tries: z.int().nullable(),
  created_on: z.string(),
  last_updated: z.string(),
  user_role: z.string(),
  extra_info: z.record(z.string(), z.unknown()).nullable(),
  emailverify_sent_datetime: z.string().nullable(),
  emailforgotpass_sent_datetime: z.string().nullable(),
  emailchangepass_sent_datetime: z.string().nullable(),
}) satisfies z.ZodType<T.UserInfo>;
/** Checks a {@link T.SessionInfo} (unknown keys are kept). */
export const SessionInfoSchema = z.looseObject({
  user_id: z.int(),
  system_id: z.string(),
  full_name: z.string().nullable(),
  email: z.string(),
  extra_info: z.record(z.string(), z.unknown()).nullable(),
  email_verified: z.boolean(),
  emailverify_sent_datetime: z.string().nullable(),
  is_active: z.boolean(),
  last_login_try: z.string().nullable(),
  last_login_success: z.string().nullable(),
  created_on: z.string(),
  user_role: z.string(),
  session_token: z.string(),
  ip_address: z.string(),
  user_agent: z.string(),
  created: z.string(),
  expires: z.string(),
  extra_info_json: z.record(z.string(), z.unknown()).nullable(),
}) satisfies z.ZodType<T.SessionInfo>;
/** Checks a {@link T.EditedSessionInfo} (unknown keys are kept). */
export const EditedSessionInfoSchema = z.looseObject({
  user_id: z.int(),
  session_token: z.string(),
  ip_address: z.string(),
  user_agent: z.string(),
  created: z.string(),
  expires: z.string(),
  extra_info_json: z.record(z.string(), z.unknown()),
}) satisfies z.ZodType<T.EditedSessionInfo>;
/** Checks a {@link T.ApiKeyPayload} (unknown keys are kept). */
export const ApiKeyPayloadSchema = z.looseObject({
  iss: z.string(),
  ver: z.union([z.string(), z.int()]),
  uid: z.int(),
  rol: z.string(),
  usa: z.string().optional(),
  aud: z.string(),
  sub: z.string(),
  ipa: z.string(),
  tkn: z.string(),
  iat: z.string(),
  nbf: z.string(),
  exp: z.string(),
}) satisfies z.ZodType<T.ApiKeyPayload>;
/** The zod schemas of every request type, by wire name: `body` is strict (unknown keys are errors), `success` and `failure` are loose (unknown keys are kept). */
export const schemas = {
  'session-new': {
    body: z.strictObject({
      ip_address: z.string(),
      user_agent: z.string(),
      user_id: z.int().nullable(),
      expires: z.string(),
      extra_info_json: z.record(z.string(), z.unknown()).nullable(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodType<T.SessionNewBody>,
    success: z.looseObject({
      session_token: z.string(),
      expires: z.string(),
    }) satisfies z.ZodType<T.SessionNewSuccess>,
    failure: z.looseObject({
      session_token: z.null(),
      expires: z.null(),
    }) satisfies z.ZodType<T.SessionNewFailure>,
  },
  'session-exists': {
    body: z.strictObject({
      session_token: z.string(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodType<T.SessionExistsBody>,
    success: z.looseObject({
      session_info: SessionInfoSchema,
    }) satisfies z.ZodType<T.SessionExistsSuccess>,
    failure: z.looseObject({ session_info: z.null() }) satisfies z.ZodType<T.SessionExistsFailure>,
  },
  'session-delete': {
    body: z.strictObject({
      session_token: z.string(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodType<T.SessionDeleteBody>,
    success: z.looseObject({}) satisfies z.ZodType<T.SessionDeleteSuccess>,
    failure: z.looseObject({}) satisfies z.ZodType<T.SessionDeleteFailure>,
  },
  'session-delete-userid': {
    body: z.strictObject({
      session_token: z.string(),
      user_id: z.int(),
      keep_current_session: z.boolean(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodType<T.SessionDeleteUseridBody>,
    success: z.looseObject({}) satisfies z.ZodType<T.SessionDeleteUseridSuccess>,
    failure: z.looseObject({}) satisfies z.ZodType<T.SessionDeleteUseridFailure>,
  },
  'user-login': {
    body: z.strictObject({
      session_token: z.string(),
      email: z.string(),
      password: z.string(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodType<T.UserLoginBody>,
    success: z.looseObject({
      user_id: z.int(),
      user_role: z.string(),
    }) satisfies z.ZodType<T.UserLoginSuccess>,
    failure: z.looseObject({ user_id: z.int().nullable() }) satisfies z.ZodType<T.UserLoginFailure>,
  },
  'user-logout': {
    body: z.strictObject({
      session_token: z.string(),
      user_id: z.int(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodType<T.UserLogoutBody>,
    success: z.looseObject({ user_id: z.int() }) satisfies z.ZodType<T.UserLogoutSuccess>,
    failure: z.looseObject({ user_id: z.int() }) satisfies z.ZodType<T.UserLogoutFailure>,
  },
  'user-passcheck': {
    body: z.strictObject({
      session_token: z.string(),
      password: z.string(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodType<T.UserPasscheckBody>,
    success: z.looseObject({
      user_id: z.int(),
      user_role: z.string(),
    }) satisfies z.ZodType<T.UserPasscheckSuccess>,
    failure: z.looseObject({
      user_id: z.int().nullable(),
    }) satisfies z.ZodType<T.UserPasscheckFailure>,
  },
  'user-passcheck-nosession': {
    body: z.strictObject({
      email: z.string(),
      password: z.string(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodType<T.UserPasscheckNosessionBody>,
    success: z.looseObject({
      user_id: z.int(),
      user_role: z.string(),
    }) satisfies z.ZodType<T.UserPasscheckNosessionSuccess>,
    failure: z.looseObject({
      user_id: z.int().nullable(),
    }) satisfies z.ZodType<T.UserPasscheckNosessionFailure>,
  },
  'user-new': {
    body: z.strictObject({
      full_name: z.string(),
      email: z.string(),
      password: z.string(),
      extra_info: z.record(z.string(), z.unknown()).nullable().optional(),
      verify_retry_wait: z.int().nullable().optional(),
      system_id: z.string().nullable().optional(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodType<T.UserNewBody>,
    success: z.looseObject({
      user_email: z.string(),
      user_id: z.int(),
      system_id: z.string(),
      send_verification: z.boolean(),
    }) satisfies z.ZodType<T.UserNewSuccess>,
    failure: z.looseObject({
      user_email: z.string().nullable(),
      user_id: z.int().nullable(),
      system_id: z.string().optional(),
      send_verification: z.boolean(),
    }) satisfies z.ZodType<T.UserNewFailure>,
  },
  'user-changepass': {
    body: z.strictObject({
      user_id: z.int(),
      session_token: z.string(),
      full_name: z.string(),
      email: z.string(),
      current_password: z.string(),
      new_password: z.string(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodType<T.UserChangepassBody>,
    success: z.looseObject({
      user_id: z.int(),
      email: z.string(),
    }) satisfies z.ZodType<T.UserChangepassSuccess>,
    failure: z.looseObject({
      user_id: z.int(),
      email: z.string(),
    }) satisfies z.ZodType<T.UserChangepassFailure>,
  },
  'user-changepass-nosession': {
    body: z.strictObject({
      user_id: z.int(),
      full_name: z.string(),
      email: z.string(),
      current_password: z.string(),
      new_password: z.string(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodType<T.UserChangepassNosessionBody>,
    success: z.looseObject({
      user_id: z.int(),
      email: z.string(),
    }) satisfies z.ZodType<T.UserChangepassNosessionSuccess>,
    failure: z.looseObject({
      user_id: z.int(),
      email: z.string(),
    }) satisfies z.ZodType<T.UserChangepassNosessionFailure>,
  },
  'user-delete': {
    body: z.strictObject({
      email: z.string(),
      user_id: z.int(),
      password: z.string(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodType<T.UserDeleteBody>,
    success: z.looseObject({
      user_id: z.int(),
      email: z.string(),
    }) satisfies z.ZodType<T.UserDeleteSuccess>,
    failure: z.looseObject({
      user_id: z.int(),
      email: z.string(),
    }) satisfies z.ZodType<T.UserDeleteFailure>,
  },
  'user-list': {
    body: z.strictObject({
      user_id: z.int().nullable(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodType<T.UserListBody>,
    success: z.looseObject({
      user_info: z.array(UserInfoSchema),
    }) satisfies z.ZodType<T.UserListSuccess>,
    failure: z.looseObject({ user_info: z.null() }) satisfies z.ZodType<T.UserListFailure>,
  },
  'user-lookup-email': {
    body: z.strictObject({
      email: z.string(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodType<T.UserLookupEmailBody>,
    success: z.looseObject({
      user_info: UserInfoSchema,
    }) satisfies z.ZodType<T.UserLookupEmailSuccess>,
    failure: z.looseObject({ user_info: z.null() }) satisfies z.ZodType<T.UserLookupEmailFailure>,
  },
  'user-lookup-match': {
    body: z.strictObject({
      by: z.string(),
      match: schema.anyValue(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodType<T.UserLookupMatchBody>,
    success: z.looseObject({
      user_info: z.array(UserInfoSchema),
    }) satisfies z.ZodType<T.UserLookupMatchSuccess>,
    failure: z.looseObject({ user_info: z.null() }) satisfies z.ZodType<T.UserLookupMatchFailure>,
  },
  'user-edit': {
    body: z.strictObject({
      user_id: z.int(),
      user_role: z.string(),
      session_token: z.string(),
      target_userid: z.int(),
      update_dict: z.record(z.string(), z.unknown()),
      client_ipaddr: z.string(),
    }) satisfies z.ZodType<T.UserEditBody>,
    success: z.looseObject({ user_info: UserInfoSchema }) satisfies z.ZodType<T.UserEditSuccess>,
    failure: z.looseObject({ user_info: z.null() }) satisfies z.ZodType<T.UserEditFailure>,
  },
  'user-resetpass': {
    body: z.strictObject({
      email_address: z.string(),
      new_password: z.string(),
      session_token: z.string(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodType<T.UserResetpassBody>,
    success: z.looseObject({}) satisfies z.ZodType<T.UserResetpassSuccess>,
    failure: z.looseObject({}) satisfies z.ZodType<T.UserResetpassFailure>,
  },
  'user-resetpass-nosession': {
    body: z.strictObject({
      email_address: z.string(),
      new_password: z.string(),
      required_active: z.boolean(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodType<T.UserResetpassNosessionBody>,
    success: z.looseObject({}) satisfies z.ZodType<T.UserResetpassNosessionSuccess>,
    failure: z.looseObject({}) satisfies z.ZodType<T.UserResetpassNosessionFailure>,
  },
  'user-lock': {
    body: z.strictObject({
      user_id: z.int(),
      user_role: z.string(),
      session_token: z.string(),
      target_userid: z.int(),
      action: z.enum(['lock', 'unlock']),
      client_ipaddr: z.string(),
    }) satisfies z.ZodType<T.UserLockBody>,
    success: z.looseObject({ user_info: UserInfoSchema }) satisfies z.ZodType<T.UserLockSuccess>,
    failure: z.looseObject({ user_info: z.null() }) satisfies z.ZodType<T.UserLockFailure>,
  },
  'user-validatepass': {
    body: z.strictObject({
      password: z.string(),
      email: z.string(),
      full_name: z.string(),
      min_pass_length: z.int().optional(),
      max_unsafe_similarity: z.int().optional(),
      max_character_frequency: z.number().optional(),
      min_pwned_matches: z.int().optional(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodType<T.UserValidatepassBody>,
    success: z.looseObject({}) satisfies z.ZodType<T.UserValidatepassSuccess>,
    failure: z.looseObject({}) satisfies z.ZodType<T.UserValidatepassFailure>,
  },
  'user-sendemail-signup': {
    body: z.strictObject({
      email_address: z.int(),
      session_token: z.string(),
      created_info: z.string(),
      server_name: z.string(),
      server_baseurl: z.string(),
      server_verify_url: z.string(),
      verification_token: z.string(),
      verification_expiry: z.int(),
      emailuser: z.string().nullable().optional(),
      emailpass: z.string().nullable().optional(),
      emailserver: z.string().optional(),
      emailport: z.int().optional(),
      emailsender: z.string().optional(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodType<T.UserSendemailSignupBody>,
    success: z.looseObject({
      user_id: z.int(),
      email_address: z.string(),
      emailverify_sent_datetime: z.string(),
    }) satisfies z.ZodType<T.UserSendemailSignupSuccess>,
    failure: z.looseObject({
      user_id: z.null(),
      email_address: z.null(),
      emailverify_sent_datetime: z.null(),
    }) satisfies z.ZodType<T.UserSendemailSignupFailure>,
  },
  'user-sendemail-forgotpass': {
    body: z.strictObject({
      email_address: z.int(),
      session_token: z.string(),
      server_name: z.string(),
      server_baseurl: z.string(),
      password_forgot_url: z.string(),
      verification_token: z.string(),
      verification_expiry: z.int(),
      emailuser: z.string().nullable().optional(),
      emailpass: z.string().nullable().optional(),
      emailserver: z.string().optional(),
      emailport: z.int().optional(),
      emailsender: z.string().optional(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodType<T.UserSendemailForgotpassBody>,
    success: z.looseObject({
      user_id: z.int(),
      email_address: z.string(),
      emailforgotpass_sent_datetime: z.string(),
    }) satisfies z.ZodType<T.UserSendemailForgotpassSuccess>,
    failure: z.looseObject({
      user_id: z.null(),
      email_address: z.null(),
      emailforgotpass_sent_datetime: z.null(),
    }) satisfies z.ZodType<T.UserSendemailForgotpassFailure>,
  },
  'user-set-emailverified': {
    body: z.strictObject({
      email: z.string(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodType<T.UserSetEmailverifiedBody>,
    success: z.looseObject({
      user_id: z.int(),
      is_active: z.boolean(),
      user_role: z.string(),
    }) satisfies z.ZodType<T.UserSetEmailverifiedSuccess>,
    failure: z.looseObject({
      user_id: z.null(),
      is_active: z.boolean(),
      user_role: z.string(),
    }) satisfies z.ZodType<T.UserSetEmailverifiedFailure>,
  },
  'user-set-emailsent': {
    body: z.strictObject({
      email: z.string(),
      email_type: z.enum(['signup', 'forgotpass']),
      client_ipaddr: z.string(),
    }) satisfies z.ZodType<T.UserSetEmailsentBody>,
    success: z.looseObject({
      email: z.string(),
      emailverify_sent_datetime: z.string().nullable(),
      emailforgotpass_sent_datetime: z.string().nullable(),
      user_id: z.int(),
      is_active: z.boolean(),
      user_role: z.string(),
    }) satisfies z.ZodType<T.UserSetEmailsentSuccess>,
    failure: z.looseObject({}) satisfies z.ZodType<T.UserSetEmailsentFailure>,
  },
  'apikey-new': {
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
    }) satisfies z.ZodType<T.ApikeyNewBody>,
    success: z.looseObject({
      apikey: schema.jsonString(ApiKeyPayloadSchema),
      expires: z.string(),
    }) satisfies z.ZodType<T.ApikeyNewSuccess>,
    failure: z.looseObject({
      apikey: z.null().optional(),
      expires: z.null().optional(),
    }) satisfies z.ZodType<T.ApikeyNewFailure>,
  },
  'apikey-verify': {
    body: z.strictObject({
      apikey_dict: ApiKeyPayloadSchema,
      user_id: z.int(),
      user_role: z.string(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodType<T.ApikeyVerifyBody>,
    success: z.looseObject({}) satisfies z.ZodType<T.ApikeyVerifySuccess>,
    failure: z.looseObject({}) satisfies z.ZodType<T.ApikeyVerifyFailure>,
  },
  'apikey-revoke': {
    body: z.strictObject({
      apikey_dict: ApiKeyPayloadSchema,
      user_id: z.int(),
      user_role: z.string(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodType<T.ApikeyRevokeBody>,
    success: z.looseObject({}) satisfies z.ZodType<T.ApikeyRevokeSuccess>,
    failure: z.looseObject({}) satisfies z.ZodType<T.ApikeyRevokeFailure>,
  },
  'apikey-new-nosession': {
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
    }) satisfies z.ZodType<T.ApikeyNewNosessionBody>,
    success: z.looseObject({
      apikey: schema.jsonString(ApiKeyPayloadSchema),
      expires: z.string(),
      refresh_token: z.string(),
      refresh_token_expires: z.string(),
    }) satisfies z.ZodType<T.ApikeyNewNosessionSuccess>,
    failure: z.looseObject({}) satisfies z.ZodType<T.ApikeyNewNosessionFailure>,
  },
  'apikey-verify-nosession': {
    body: z.strictObject({
      apikey_dict: ApiKeyPayloadSchema,
      user_id: z.int(),
      user_role: z.string(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodType<T.ApikeyVerifyNosessionBody>,
    success: z.looseObject({}) satisfies z.ZodType<T.ApikeyVerifyNosessionSuccess>,
    failure: z.looseObject({}) satisfies z.ZodType<T.ApikeyVerifyNosessionFailure>,
  },
  'apikey-revoke-nosession': {
    body: z.strictObject({
      apikey_dict: ApiKeyPayloadSchema,
      user_id: z.int(),
      user_role: z.string(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodType<T.ApikeyRevokeNosessionBody>,
    success: z.looseObject({}) satisfies z.ZodType<T.ApikeyRevokeNosessionSuccess>,
    failure: z.looseObject({}) satisfies z.ZodType<T.ApikeyRevokeNosessionFailure>,
  },
  'apikey-revokeall-nosession': {
    body: z.strictObject({
      apikey_dict: ApiKeyPayloadSchema,
      user_id: z.int(),
      user_role: z.string(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodType<T.ApikeyRevokeallNosessionBody>,
    success: z.looseObject({
      revoked_keys: z.int(),
    }) satisfies z.ZodType<T.ApikeyRevokeallNosessionSuccess>,
    failure: z.looseObject({}) satisfies z.ZodType<T.ApikeyRevokeallNosessionFailure>,
  },
  'apikey-refresh-nosession': {
    body: z.strictObject({
      apikey_dict: ApiKeyPayloadSchema,
      user_id: z.int(),
      user_role: z.string(),
      refresh_token: z.string(),
      ip_address: z.string(),
      expires_seconds: z.int(),
      not_valid_before: z.number(),
      refresh_expires: z.int(),
      refresh_nbf: z.number(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodType<T.ApikeyRefreshNosessionBody>,
    success: z.looseObject({
      apikey: schema.jsonString(ApiKeyPayloadSchema),
      expires: z.string(),
      refresh_token: z.string(),
      refresh_token_expires: z.string(),
    }) satisfies z.ZodType<T.ApikeyRefreshNosessionSuccess>,
    failure: z.looseObject({}) satisfies z.ZodType<T.ApikeyRefreshNosessionFailure>,
  },
  'user-check-access': {
    body: z.strictObject({
      user_id: z.int(),
      user_role: z.string(),
      action: z.string(),
      target_name: z.string(),
      target_owner: z.int(),
      target_visibility: z.string(),
      target_sharedwith: z.string(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodType<T.UserCheckAccessBody>,
    success: z.looseObject({}) satisfies z.ZodType<T.UserCheckAccessSuccess>,
    failure: z.looseObject({}) satisfies z.ZodType<T.UserCheckAccessFailure>,
  },
  'user-check-limit': {
    body: z.strictObject({
      user_id: z.int(),
      user_role: z.string(),
      limit_name: z.string(),
      value_to_check: schema.anyValue(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodType<T.UserCheckLimitBody>,
    success: z.looseObject({}) satisfies z.ZodType<T.UserCheckLimitSuccess>,
    failure: z.looseObject({}) satisfies z.ZodType<T.UserCheckLimitFailure>,
  },
  'internal-user-lock': {
    body: z.strictObject({
      target_userid: z.int(),
      action: z.enum(['lock', 'unlock']),
      client_ipaddr: z.string(),
    }) satisfies z.ZodType<T.InternalUserLockBody>,
    success: z.looseObject({
      user_info: UserInfoSchema,
    }) satisfies z.ZodType<T.InternalUserLockSuccess>,
    failure: z.looseObject({ user_info: z.null() }) satisfies z.ZodType<T.InternalUserLockFailure>,
  },
  'internal-user-delete': {
    body: z.strictObject({
      target_userid: z.int(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodType<T.InternalUserDeleteBody>,
    success: z.looseObject({ user_id: z.int() }) satisfies z.ZodType<T.InternalUserDeleteSuccess>,
    failure: z.looseObject({}) satisfies z.ZodType<T.InternalUserDeleteFailure>,
  },
  'internal-user-edit': {
    body: z.strictObject({
      target_userid: z.int(),
      update_dict: z.record(z.string(), z.unknown()),
      client_ipaddr: z.string(),
    }) satisfies z.ZodType<T.InternalUserEditBody>,
    success: z.looseObject({
      user_info: UserInfoSchema,
    }) satisfies z.ZodType<T.InternalUserEditSuccess>,
    failure: z.looseObject({}) satisfies z.ZodType<T.InternalUserEditFailure>,
  },
  'internal-session-edit': {
    body: z.strictObject({
      target_session_token: z.string(),
      update_dict: z.record(z.string(), z.unknown()),
      client_ipaddr: z.string(),
    }) satisfies z.ZodType<T.InternalSessionEditBody>,
    success: z.looseObject({
      session_info: EditedSessionInfoSchema,
    }) satisfies z.ZodType<T.InternalSessionEditSuccess>,
    failure: z.looseObject({
      session_info: z.null(),
    }) satisfies z.ZodType<T.InternalSessionEditFailure>,
  },
} as const;
