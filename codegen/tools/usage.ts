/** The help texts of the tools' commands (`authnzerver-codegen drift --help` and the others). */

/** `authnzerver-codegen drift --help`. */
export const DRIFT_USAGE = `Usage: authnzerver-codegen drift --server-schema <file.json> [--catalogue <file.yaml>] [--json]
       authnzerver-codegen drift --transcripts <recorded.json> [--catalogue <file.yaml>] [--json]

Compares a request catalogue with the server's own request schema (authnzerver's apischema.SCHEMA, dumped to JSON
in the server's environment; docs/catalogue-drift.md shows how) and reports, per request type: types on one side
only, arguments added or removed, arguments moved between required and optional, and type words that differ.
Refinements recorded in the catalogue (refines: with a reason) agree while their type is a subset of the server's.

With --transcripts, it checks recorded replies (createRecorder of authnzerver/testing writes them) against the
catalogue's reply shapes instead: a missing key, a value of another type, a key the shape does not name, a request
type the catalogue lacks. Failures of the server's parameter check and shapes marked unknown are not checked.

Options:
  --server-schema <file>    the JSON dump of SCHEMA (with or without its docs)
  --transcripts <file>      recorded replies, as JSON
  --catalogue <file>        the catalogue (default: the package's own schema/authnzerver.yaml)
  --json                    print the report as JSON: { inSync, catalogue, serverSchema, counts, findings }
                            (with --transcripts: { inSync, catalogue, transcripts, counts, findings })
  -h, --help                show this help

Exit status: 0 in sync, 1 drift, 2 a usage or input error (a missing file, not JSON, not a SCHEMA, a bad catalogue).
`;

/** `authnzerver-codegen scaffold --help`. */
export const SCAFFOLD_USAGE = `Usage: authnzerver-codegen scaffold --server-schema <file.json> (--type <name>... | --missing) [options]

Writes catalogue entries for request types that the server has and the catalogue lacks: their arguments with the
server's types and docs, and the replies marked unknown. Generate at once for a typed method; describe the replies,
the summary and the retry class later (schema/README.md).

Options:
  --server-schema <file>    the JSON dump of SCHEMA
  --type <name>             a request type to scaffold (repeat it for more)
  --missing                 every server type the catalogue lacks
  --catalogue <file>        the catalogue to add them to (default: the package's own schema/authnzerver.yaml)
  --print                   change no file: print the entries, to paste under requests:
  -h, --help                show this help

The entries are appended under requests:, which must be the catalogue's last top-level key; the rest of the file is
left as it was, and nothing is written unless the result loads. Exit status: 0 done (or nothing to do), 2 a usage or
input error.
`;

/** `authnzerver-codegen infer --help`. */
export const INFER_USAGE = `Usage: authnzerver-codegen infer --transcripts <recorded.json> [--type <name>...] [--catalogue <file.yaml>]

Prints the success and failure reply shapes that recorded replies support, as catalogue YAML to paste over an
entry's success: and failure: (createRecorder of authnzerver/testing records replies; docs/catalogue-drift.md).
Keys seen in every reply are required, the others optional: true; each key's type is the union of the values seen
(a key seen only as null is None); objects that fit one of the catalogue's named types are that type, a string of
JSON that fits one is json[Name], and objects that fit none get a new named type under types:. Redacted secrets keep
the catalogue's type. Where the inferred shapes and the catalogue's differ, comments at the end say how.

Options:
  --transcripts <file>      recorded replies, as JSON
  --type <name>             a request type to infer (repeat it for more; default: every type with replies)
  --catalogue <file>        the catalogue whose named types to use and to compare with (default: the package's own)
  -h, --help                show this help

Exit status: 0 done, 2 a usage or input error (a missing file, not JSON, not recorded calls, a type without replies).
`;
