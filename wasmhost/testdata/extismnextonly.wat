;; An Extism module (it imports from extism:host/env) that exports only
;; next_state: refused at load for lacking perform and effect.
;; A fixture of wasmhost/extism_test.go; `make generate` compiles it to
;; .wasm with wat2wasm (Debian package wabt).
(module
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (memory (export "memory") 1)
  (func (export "next_state") (result i32)
    (call $output_set (i64.const 0) (i64.const 0))
    (i32.const 0))
)
