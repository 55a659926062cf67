;; Inner products of one user vector with every item row, four f32x4 accumulators (16 lanes) per row.
;; Source of the bytes embedded in dot-scores-wasm.ts; tests/lib/models/dot-scores-wasm.test.ts
;; recompiles this file with wabt and checks they match. Pointers are byte offsets; k is a multiple of 16.
(module
  (memory (export "memory") 1)
  ;; scores[i] = dot(items[i*k .. i*k+k], user[0..k]); k a multiple of 16; byte offsets
  (func (export "scores") (param $items i32) (param $user i32) (param $out i32) (param $n i32) (param $k i32)
    (local $i i32) (local $j i32) (local $row i32) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $kb i32) (local $u i32)
    (local.set $kb (i32.shl (local.get $k) (i32.const 2)))
    (local.set $row (local.get $items))
    (block $done (loop $rows
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (v128.const i32x4 0 0 0 0))
      (local.set $a2 (v128.const i32x4 0 0 0 0)) (local.set $a3 (v128.const i32x4 0 0 0 0))
      (local.set $j (i32.const 0))
      (loop $cols
        (local.set $u (i32.add (local.get $user) (local.get $j)))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load (i32.add (local.get $row) (local.get $j))) (v128.load (local.get $u)))))
        (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (v128.load offset=16 (i32.add (local.get $row) (local.get $j))) (v128.load offset=16 (local.get $u)))))
        (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (v128.load offset=32 (i32.add (local.get $row) (local.get $j))) (v128.load offset=32 (local.get $u)))))
        (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (v128.load offset=48 (i32.add (local.get $row) (local.get $j))) (v128.load offset=48 (local.get $u)))))
        (local.set $j (i32.add (local.get $j) (i32.const 64)))
        (br_if $cols (i32.lt_u (local.get $j) (local.get $kb))))
      (local.set $a0 (f32x4.add (f32x4.add (local.get $a0) (local.get $a1)) (f32x4.add (local.get $a2) (local.get $a3))))
      (f32.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
        (f32.add (f32.add (f32x4.extract_lane 0 (local.get $a0)) (f32x4.extract_lane 1 (local.get $a0)))
                 (f32.add (f32x4.extract_lane 2 (local.get $a0)) (f32x4.extract_lane 3 (local.get $a0)))))
      (local.set $row (i32.add (local.get $row) (local.get $kb)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows))))
)
