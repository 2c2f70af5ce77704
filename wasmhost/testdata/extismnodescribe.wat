;; An Extism module (it imports from extism:host/env) without describe: it
;; is named after its file and accepts no configuration. Its next_state,
;; perform and effect output nothing (an empty response message).
;; A fixture of wasmhost/extism_test.go; `make generate` compiles it to
;; .wasm with wat2wasm (Debian package wabt).
(module
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (memory (export "memory") 1)
  (func $empty (result i32)
    (call $output_set (i64.const 0) (i64.const 0))
    (i32.const 0))
  (export "next_state" (func $empty))
  (export "perform" (func $empty))
  (export "effect" (func $empty))
)
