// Compile-time agreement between a zod schema and a type another module owns: the API contract
// describes a shape lib/release or lib/metrics defines, and `true satisfies Same<A, B>` stops the
// build the moment the two disagree (a field added, renamed, retyped or made optional on one side).

type Flat<T> = T extends readonly unknown[]
  ? { [K in keyof T]: Flat<T[K]> }
  : T extends object
    ? { [K in keyof T]: Flat<T[K]> }
    : T;

/** true when A and B are the same type, optional fields included (mutual assignability would let an optional field slip). */
export type Same<A, B> = (<T>() => T extends Flat<A> ? 1 : 2) extends <T>() => T extends Flat<B> ? 1 : 2 ? true : false;
