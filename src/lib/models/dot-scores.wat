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
;; The same inner products on a quantized copy: items as int8 (one scale per item), the user as
  ;; int16. i32x4.dot_i16x8_s sums exactly in integers; a quarter of the float32 bytes are read, which
  ;; is what bounds the pass at 100k items. out[i] = f32(dot) * scales[i]; the caller multiplies by the
  ;; user's scale and bounds the quantization error (exact-scorer.ts), so nothing is approximated in the
  ;; answer. k a multiple of 16; byte offsets; rows are k bytes, the user k int16.
  (func (export "quantizedScores") (param $items i32) (param $user i32) (param $scales i32) (param $out i32) (param $n i32) (param $k i32)
    (local $i i32) (local $j i32) (local $row i32) (local $a0 v128) (local $a1 v128) (local $q v128) (local $u i32)
    (local.set $row (local.get $items))
    (block $done (loop $rows
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (v128.const i32x4 0 0 0 0))
      (local.set $j (i32.const 0))
      (local.set $u (local.get $user))
      (loop $cols
        (local.set $q (v128.load (i32.add (local.get $row) (local.get $j))))
        (local.set $a0 (i32x4.add (local.get $a0) (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $q)) (v128.load (local.get $u)))))
        (local.set $a1 (i32x4.add (local.get $a1) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $q)) (v128.load offset=16 (local.get $u)))))
        (local.set $u (i32.add (local.get $u) (i32.const 32)))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br_if $cols (i32.lt_u (local.get $j) (local.get $k))))
      (local.set $a0 (i32x4.add (local.get $a0) (local.get $a1)))
      (f32.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
        (f32.mul
          (f32.convert_i32_s
            (i32.add (i32.add (i32x4.extract_lane 0 (local.get $a0)) (i32x4.extract_lane 1 (local.get $a0)))
                     (i32.add (i32x4.extract_lane 2 (local.get $a0)) (i32x4.extract_lane 3 (local.get $a0)))))
          (f32.load (i32.add (local.get $scales) (i32.shl (local.get $i) (i32.const 2))))))
      (local.set $row (i32.add (local.get $row) (local.get $k)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows))))
;; Indices i < n with scores[i] >= threshold, written to out in order; returns their count. Four
  ;; scores per compare, and only groups with a hit take the scalar path: top-k uses it to narrow
  ;; 100k screened scores to the few hundred above a lower bound of the cut.
  (func (export "indicesAtLeast") (param $scores i32) (param $n i32) (param $threshold f32) (param $out i32) (result i32)
    (local $i i32) (local $count i32) (local $t v128) (local $end i32) (local $at i32)
    (local.set $t (f32x4.splat (local.get $threshold)))
    (local.set $end (i32.and (local.get $n) (i32.const -4)))
    (block $vDone (loop $v
      (br_if $vDone (i32.ge_u (local.get $i) (local.get $end)))
      (if (v128.any_true (f32x4.ge (v128.load (i32.add (local.get $scores) (i32.shl (local.get $i) (i32.const 2)))) (local.get $t)))
        (then
          (local.set $at (local.get $i))
          (loop $lane
            (if (f32.ge (f32.load (i32.add (local.get $scores) (i32.shl (local.get $at) (i32.const 2)))) (local.get $threshold))
              (then
                (i32.store (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2))) (local.get $at))
                (local.set $count (i32.add (local.get $count) (i32.const 1)))))
            (local.set $at (i32.add (local.get $at) (i32.const 1)))
            (br_if $lane (i32.lt_u (local.get $at) (i32.add (local.get $i) (i32.const 4)))))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $v)))
    (block $sDone (loop $s
      (br_if $sDone (i32.ge_u (local.get $i) (local.get $n)))
      (if (f32.ge (f32.load (i32.add (local.get $scores) (i32.shl (local.get $i) (i32.const 2)))) (local.get $threshold))
        (then
          (i32.store (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2))) (local.get $i))
          (local.set $count (i32.add (local.get $count) (i32.const 1)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $s)))
    (local.get $count))
)
