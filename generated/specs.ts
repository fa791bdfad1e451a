// Generated from schema/authnzerver.yaml by authnzerver-codegen. Do not edit: change the YAML, then run npm run generate.
import type { SpecRegistry } from '../src/runtime.js';
import { schemas } from './schemas.js';
import type { AuthnzerverRequests } from './types.js';
/** The name of the catalogue this client was generated from. */
export const CATALOGUE_NAME = 'authnzerver';
/** sha256 of the catalogue this client was generated from, to tell generated clients apart. */
export const CATALOGUE_HASH = '335ebca540ac4c828bcc987947acfa15f1b0a267d95e4eb4cbf50235654e56ec';
/** Every request type of the catalogue, in catalogue order. */
export const REQUEST_TYPES = [
  'session-new',
  'session-exists',
  'session-delete',
  'session-delete-userid',
  'user-login',
  'user-logout',
  'user-passcheck',
  'user-passcheck-nosession',
  'user-new',
  'user-changepass',
  'user-changepass-nosession',
  'user-delete',
  'user-list',
  'user-lookup-email',
  'user-lookup-match',
  'user-edit',
  'user-resetpass',
  'user-resetpass-nosession',
  'user-lock',
  'user-validatepass',
  'user-sendemail-signup',
  'user-sendemail-forgotpass',
  'user-set-emailverified',
  'user-set-emailsent',
  'apikey-new',
  'apikey-verify',
  'apikey-revoke',
  'apikey-new-nosession',
  'apikey-verify-nosession',
  'apikey-revoke-nosession',
  'apikey-revokeall-nosession',
  'apikey-refresh-nosession',
  'user-check-access',
  'user-check-limit',
  'internal-user-lock',
  'internal-user-delete',
  'internal-user-edit',
  'internal-session-edit',
] as const;
/** What the client knows of each request type: its method, retry class, deadline class, secret fields, the fields that take a `Date`, and schemas (read from `schemas`, so built by their first use). */
export const specs = {
  'session-new': {
    type: 'session-new',
    method: 'sessionNew',
    sideEffects: 'write',
    timeout: 'default',
    secrets: { body: [], response: ['session_token'] },
    datetimes: ['expires'],
    get body() {
      return schemas['session-new'].body;
    },
    get success() {
      return schemas['session-new'].success;
    },
    get failure() {
      return schemas['session-new'].failure;
    },
  },
  'session-exists': {
    type: 'session-exists',
    method: 'sessionExists',
    sideEffects: 'read',
    timeout: 'default',
    secrets: { body: ['session_token'], response: ['session_info.session_token'] },
    get body() {
      return schemas['session-exists'].body;
    },
    get success() {
      return schemas['session-exists'].success;
    },
    get failure() {
      return schemas['session-exists'].failure;
    },
  },
  'session-delete': {
    type: 'session-delete',
    method: 'sessionDelete',
    sideEffects: 'write',
    timeout: 'default',
    secrets: { body: ['session_token'], response: [] },
    get body() {
      return schemas['session-delete'].body;
    },
    get success() {
      return schemas['session-delete'].success;
    },
    get failure() {
      return schemas['session-delete'].failure;
    },
  },
  'session-delete-userid': {
    type: 'session-delete-userid',
    method: 'sessionDeleteUserid',
    sideEffects: 'write',
    timeout: 'default',
    secrets: { body: ['session_token'], response: [] },
    get body() {
      return schemas['session-delete-userid'].body;
    },
    get success() {
      return schemas['session-delete-userid'].success;
    },
    get failure() {
      return schemas['session-delete-userid'].failure;
    },
  },
  'user-login': {
    type: 'user-login',
    method: 'userLogin',
    sideEffects: 'write',
    timeout: 'login',
    secrets: { body: ['session_token', 'password'], response: [] },
    get body() {
      return schemas['user-login'].body;
    },
    get success() {
      return schemas['user-login'].success;
    },
    get failure() {
      return schemas['user-login'].failure;
    },
  },
  'user-logout': {
    type: 'user-logout',
    method: 'userLogout',
    sideEffects: 'write',
    timeout: 'default',
    secrets: { body: ['session_token'], response: [] },
    get body() {
      return schemas['user-logout'].body;
    },
    get success() {
      return schemas['user-logout'].success;
    },
    get failure() {
      return schemas['user-logout'].failure;
    },
  },
  'user-passcheck': {
    type: 'user-passcheck',
    method: 'userPasscheck',
    sideEffects: 'read',
    timeout: 'default',
    secrets: { body: ['session_token', 'password'], response: [] },
    get body() {
      return schemas['user-passcheck'].body;
    },
    get success() {
      return schemas['user-passcheck'].success;
    },
    get failure() {
      return schemas['user-passcheck'].failure;
    },
  },
  'user-passcheck-nosession': {
    type: 'user-passcheck-nosession',
    method: 'userPasscheckNosession',
    sideEffects: 'write',
    timeout: 'login',
    secrets: { body: ['password'], response: [] },
    get body() {
      return schemas['user-passcheck-nosession'].body;
    },
    get success() {
      return schemas['user-passcheck-nosession'].success;
    },
    get failure() {
      return schemas['user-passcheck-nosession'].failure;
    },
  },
  'user-new': {
    type: 'user-new',
    method: 'userNew',
    sideEffects: 'write',
    timeout: 'default',
    secrets: { body: ['password'], response: [] },
    get body() {
      return schemas['user-new'].body;
    },
    get success() {
      return schemas['user-new'].success;
    },
    get failure() {
      return schemas['user-new'].failure;
    },
  },
  'user-changepass': {
    type: 'user-changepass',
    method: 'userChangepass',
    sideEffects: 'write',
    timeout: 'default',
    secrets: { body: ['session_token', 'current_password', 'new_password'], response: [] },
    get body() {
      return schemas['user-changepass'].body;
    },
    get success() {
      return schemas['user-changepass'].success;
    },
    get failure() {
      return schemas['user-changepass'].failure;
    },
  },
  'user-changepass-nosession': {
    type: 'user-changepass-nosession',
    method: 'userChangepassNosession',
    sideEffects: 'write',
    timeout: 'default',
    secrets: { body: ['current_password', 'new_password'], response: [] },
    get body() {
      return schemas['user-changepass-nosession'].body;
    },
    get success() {
      return schemas['user-changepass-nosession'].success;
    },
    get failure() {
      return schemas['user-changepass-nosession'].failure;
    },
  },
  'user-delete': {
    type: 'user-delete',
    method: 'userDelete',
    sideEffects: 'write',
    timeout: 'default',
    secrets: { body: ['password'], response: [] },
    get body() {
      return schemas['user-delete'].body;
    },
    get success() {
      return schemas['user-delete'].success;
    },
    get failure() {
      return schemas['user-delete'].failure;
    },
  },
  'user-list': {
    type: 'user-list',
    method: 'userList',
    sideEffects: 'read',
    timeout: 'default',
    secrets: { body: [], response: [] },
    get body() {
      return schemas['user-list'].body;
    },
    get success() {
      return schemas['user-list'].success;
    },
    get failure() {
      return schemas['user-list'].failure;
    },
  },
  'user-lookup-email': {
    type: 'user-lookup-email',
    method: 'userLookupEmail',
    sideEffects: 'read',
    timeout: 'default',
    secrets: { body: [], response: [] },
    get body() {
      return schemas['user-lookup-email'].body;
    },
    get success() {
      return schemas['user-lookup-email'].success;
    },
    get failure() {
      return schemas['user-lookup-email'].failure;
    },
  },
  'user-lookup-match': {
    type: 'user-lookup-match',
    method: 'userLookupMatch',
    sideEffects: 'read',
    timeout: 'default',
    secrets: { body: [], response: [] },
    get body() {
      return schemas['user-lookup-match'].body;
    },
    get success() {
      return schemas['user-lookup-match'].success;
    },
    get failure() {
      return schemas['user-lookup-match'].failure;
    },
  },
  'user-edit': {
    type: 'user-edit',
    method: 'userEdit',
    sideEffects: 'write',
    timeout: 'default',
    secrets: { body: ['session_token'], response: [] },
    get body() {
      return schemas['user-edit'].body;
    },
    get success() {
      return schemas['user-edit'].success;
    },
    get failure() {
      return schemas['user-edit'].failure;
    },
  },
  'user-resetpass': {
    type: 'user-resetpass',
    method: 'userResetpass',
    sideEffects: 'write',
    timeout: 'default',
    secrets: { body: ['new_password', 'session_token'], response: [] },
    get body() {
      return schemas['user-resetpass'].body;
    },
    get success() {
      return schemas['user-resetpass'].success;
    },
    get failure() {
      return schemas['user-resetpass'].failure;
    },
  },
  'user-resetpass-nosession': {
    type: 'user-resetpass-nosession',
    method: 'userResetpassNosession',
    sideEffects: 'write',
    timeout: 'default',
    secrets: { body: ['new_password'], response: [] },
    get body() {
      return schemas['user-resetpass-nosession'].body;
    },
    get success() {
      return schemas['user-resetpass-nosession'].success;
    },
    get failure() {
      return schemas['user-resetpass-nosession'].failure;
    },
  },
  'user-lock': {
    type: 'user-lock',
    method: 'userLock',
    sideEffects: 'write',
    timeout: 'default',
    secrets: { body: ['session_token'], response: [] },
    get body() {
      return schemas['user-lock'].body;
    },
    get success() {
      return schemas['user-lock'].success;
    },
    get failure() {
      return schemas['user-lock'].failure;
    },
  },
  'user-validatepass': {
    type: 'user-validatepass',
    method: 'userValidatepass',
    sideEffects: 'read',
    timeout: 'default',
    secrets: { body: ['password'], response: [] },
    get body() {
      return schemas['user-validatepass'].body;
    },
    get success() {
      return schemas['user-validatepass'].success;
    },
    get failure() {
      return schemas['user-validatepass'].failure;
    },
  },
  'user-sendemail-signup': {
    type: 'user-sendemail-signup',
    method: 'userSendemailSignup',
    sideEffects: 'write',
    timeout: 'default',
    secrets: { body: ['session_token', 'verification_token', 'emailpass'], response: [] },
    get body() {
      return schemas['user-sendemail-signup'].body;
    },
    get success() {
      return schemas['user-sendemail-signup'].success;
    },
    get failure() {
      return schemas['user-sendemail-signup'].failure;
    },
  },
  'user-sendemail-forgotpass': {
    type: 'user-sendemail-forgotpass',
    method: 'userSendemailForgotpass',
    sideEffects: 'write',
    timeout: 'default',
    secrets: { body: ['session_token', 'verification_token', 'emailpass'], response: [] },
    get body() {
      return schemas['user-sendemail-forgotpass'].body;
    },
    get success() {
      return schemas['user-sendemail-forgotpass'].success;
    },
    get failure() {
      return schemas['user-sendemail-forgotpass'].failure;
    },
  },
  'user-set-emailverified': {
    type: 'user-set-emailverified',
    method: 'userSetEmailverified',
    sideEffects: 'write',
    timeout: 'default',
    secrets: { body: [], response: [] },
    get body() {
      return schemas['user-set-emailverified'].body;
    },
    get success() {
      return schemas['user-set-emailverified'].success;
    },
    get failure() {
      return schemas['user-set-emailverified'].failure;
    },
  },
  'user-set-emailsent': {
    type: 'user-set-emailsent',
    method: 'userSetEmailsent',
    sideEffects: 'write',
    timeout: 'default',
    secrets: { body: [], response: [] },
    get body() {
      return schemas['user-set-emailsent'].body;
    },
    get success() {
      return schemas['user-set-emailsent'].success;
    },
    get failure() {
      return schemas['user-set-emailsent'].failure;
    },
  },
  'apikey-new': {
    type: 'apikey-new',
    method: 'apikeyNew',
    sideEffects: 'write',
    timeout: 'default',
    secrets: { body: ['session_token'], response: ['apikey'] },
    get body() {
      return schemas['apikey-new'].body;
    },
    get success() {
      return schemas['apikey-new'].success;
    },
    get failure() {
      return schemas['apikey-new'].failure;
    },
  },
  'apikey-verify': {
    type: 'apikey-verify',
    method: 'apikeyVerify',
    sideEffects: 'read',
    timeout: 'default',
    secrets: { body: ['apikey_dict'], response: [] },
    get body() {
      return schemas['apikey-verify'].body;
    },
    get success() {
      return schemas['apikey-verify'].success;
    },
    get failure() {
      return schemas['apikey-verify'].failure;
    },
  },
  'apikey-revoke': {
    type: 'apikey-revoke',
    method: 'apikeyRevoke',
    sideEffects: 'write',
    timeout: 'default',
    secrets: { body: ['apikey_dict'], response: [] },
    get body() {
      return schemas['apikey-revoke'].body;
    },
    get success() {
      return schemas['apikey-revoke'].success;
    },
    get failure() {
      return schemas['apikey-revoke'].failure;
    },
  },
  'apikey-new-nosession': {
    type: 'apikey-new-nosession',
    method: 'apikeyNewNosession',
    sideEffects: 'write',
    timeout: 'default',
    secrets: { body: [], response: ['apikey', 'refresh_token'] },
    get body() {
      return schemas['apikey-new-nosession'].body;
    },
    get success() {
      return schemas['apikey-new-nosession'].success;
    },
    get failure() {
      return schemas['apikey-new-nosession'].failure;
    },
  },
  'apikey-verify-nosession': {
    type: 'apikey-verify-nosession',
    method: 'apikeyVerifyNosession',
    sideEffects: 'read',
    timeout: 'default',
    secrets: { body: ['apikey_dict'], response: [] },
    get body() {
      return schemas['apikey-verify-nosession'].body;
    },
    get success() {
      return schemas['apikey-verify-nosession'].success;
    },
    get failure() {
      return schemas['apikey-verify-nosession'].failure;
    },
  },
  'apikey-revoke-nosession': {
    type: 'apikey-revoke-nosession',
    method: 'apikeyRevokeNosession',
    sideEffects: 'write',
    timeout: 'default',
    secrets: { body: ['apikey_dict'], response: [] },
    get body() {
      return schemas['apikey-revoke-nosession'].body;
    },
    get success() {
      return schemas['apikey-revoke-nosession'].success;
    },
    get failure() {
      return schemas['apikey-revoke-nosession'].failure;
    },
  },
  'apikey-revokeall-nosession': {
    type: 'apikey-revokeall-nosession',
    method: 'apikeyRevokeallNosession',
    sideEffects: 'write',
    timeout: 'default',
    secrets: { body: ['apikey_dict'], response: [] },
    get body() {
      return schemas['apikey-revokeall-nosession'].body;
    },
    get success() {
      return schemas['apikey-revokeall-nosession'].success;
    },
    get failure() {
      return schemas['apikey-revokeall-nosession'].failure;
    },
  },
  'apikey-refresh-nosession': {
    type: 'apikey-refresh-nosession',
    method: 'apikeyRefreshNosession',
    sideEffects: 'write',
    timeout: 'default',
    secrets: { body: ['apikey_dict', 'refresh_token'], response: ['apikey', 'refresh_token'] },
    get body() {
      return schemas['apikey-refresh-nosession'].body;
    },
    get success() {
      return schemas['apikey-refresh-nosession'].success;
    },
    get failure() {
      return schemas['apikey-refresh-nosession'].failure;
    },
  },
  'user-check-access': {
    type: 'user-check-access',
    method: 'userCheckAccess',
    sideEffects: 'read',
    timeout: 'default',
    secrets: { body: [], response: [] },
    get body() {
      return schemas['user-check-access'].body;
    },
    get success() {
      return schemas['user-check-access'].success;
    },
    get failure() {
      return schemas['user-check-access'].failure;
    },
  },
  'user-check-limit': {
    type: 'user-check-limit',
    method: 'userCheckLimit',
    sideEffects: 'read',
    timeout: 'default',
    secrets: { body: [], response: [] },
    get body() {
      return schemas['user-check-limit'].body;
    },
    get success() {
      return schemas['user-check-limit'].success;
    },
    get failure() {
      return schemas['user-check-limit'].failure;
    },
  },
  'internal-user-lock': {
    type: 'internal-user-lock',
    method: 'internalUserLock',
    sideEffects: 'write',
    timeout: 'default',
    secrets: { body: [], response: [] },
    get body() {
      return schemas['internal-user-lock'].body;
    },
    get success() {
      return schemas['internal-user-lock'].success;
    },
    get failure() {
      return schemas['internal-user-lock'].failure;
    },
  },
  'internal-user-delete': {
    type: 'internal-user-delete',
    method: 'internalUserDelete',
    sideEffects: 'write',
    timeout: 'default',
    secrets: { body: [], response: [] },
    get body() {
      return schemas['internal-user-delete'].body;
    },
    get success() {
      return schemas['internal-user-delete'].success;
    },
    get failure() {
      return schemas['internal-user-delete'].failure;
    },
  },
  'internal-user-edit': {
    type: 'internal-user-edit',
    method: 'internalUserEdit',
    sideEffects: 'write',
    timeout: 'default',
    secrets: { body: [], response: [] },
    get body() {
      return schemas['internal-user-edit'].body;
    },
    get success() {
      return schemas['internal-user-edit'].success;
    },
    get failure() {
      return schemas['internal-user-edit'].failure;
    },
  },
  'internal-session-edit': {
    type: 'internal-session-edit',
    method: 'internalSessionEdit',
    sideEffects: 'write',
    timeout: 'default',
    secrets: { body: ['target_session_token'], response: ['session_info.session_token'] },
    get body() {
      return schemas['internal-session-edit'].body;
    },
    get success() {
      return schemas['internal-session-edit'].success;
    },
    get failure() {
      return schemas['internal-session-edit'].failure;
    },
  },
} as const satisfies SpecRegistry<AuthnzerverRequests>;
