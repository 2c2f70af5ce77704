;; next_state grows memory until memory.grow fails, then traps like a Go guest out of memory.
;; A fixture of wasmhost/badmodule_test.go; `make generate` compiles it to
;; .wasm with wat2wasm (Debian package wabt).
(module
  (memory (export "memory") 2)
  (data (i32.const 1024) "\0a\15\0a\07\66\69\78\74\75\72\65\12\07\66\69\78\74\75\72\65\1a\01\31")
  (data (i32.const 2048) "\0a\00")
  (data (i32.const 2100) "\12\08\08\02\12\04\62\6f\6f\6d")
  (data (i32.const 2200) "\ff\ff\ff\ff\ff")
  (func (export "wido_abi_v1"))
  (func (export "wido_v1_buffer") (param $size i32) (result i32)
    (if (result i32) (i32.gt_u (local.get $size) (i32.const 61440))
      (then (i32.const 0))
      (else (i32.const 4096))))
  (func (export "wido_v1_describe") (param i32 i32) (result i64)
    (i64.const 4398046511127))
  (func (export "wido_v1_next_state") (param i32 i32) (result i64)
    (loop $more (br_if $more (i32.ne (memory.grow (i32.const 1024)) (i32.const -1)))) (unreachable))
  (func (export "wido_v1_perform") (param i32 i32) (result i64)
    (i64.const 8796093022210))
  (func (export "wido_v1_effect") (param i32 i32) (result i64)
    (i64.const 8796093022210))
)
