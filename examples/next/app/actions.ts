'use server';
// Server actions: each gets the full context from actionAuth(), whose cookies go through cookies().
import { redirect } from 'next/navigation';
import { nextAuth } from '../lib/auth';

function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

export async function signUp(form: FormData): Promise<void> {
  const result = await nextAuth().actionAuth();
  if (!result.ok) redirect(`/signup?error=${result.failure.code}`);
  const signup = await result.context.signup({
    fullName: field(form, 'fullName'),
    email: field(form, 'email'),
    password: field(form, 'password'),
  });
  redirect(signup.ok ? '/signup?sent=1' : `/signup?error=${signup.failure.code}`);
}

export async function logIn(form: FormData): Promise<void> {
  const result = await nextAuth().actionAuth();
  if (!result.ok) redirect(`/login?error=${result.failure.code}`);
  const login = await result.context.login(field(form, 'email'), field(form, 'password'));
  redirect(login.ok ? '/account' : `/login?error=${login.failure.code}`);
}

export async function logOut(): Promise<void> {
  const result = await nextAuth().actionAuth();
  if (result.ok) await result.context.logout();
  redirect('/');
}
