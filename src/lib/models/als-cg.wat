;; The conjugate-gradient row update of ALS (Hu, Koren & Volinsky 2008; the form `implicit` uses) in
;; WebAssembly SIMD: f32x4 lanes, four accumulators per dot product. Same algorithm, same order of
;; steps as solveRowsCg in als-kernels.ts (the float64 JavaScript reference), in float32 as
;; `implicit` computes it. Source of the bytes in als-cg-wasm.ts (npm run build:wasm; a test checks
;; they match). All pointers are byte offsets; k is a multiple of 16 (callers pad with zeros).
(module
  (memory (export "memory") 1)

  ;; sum of the four lanes
  (func $hsum (param $v v128) (result f32)
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

  ;; a . b over k floats
  (func $dot (param $a i32) (param $b i32) (param $kb i32) (result f32)
    (local $j i32) (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $pa i32) (local $pb i32)
    (loop $cols
      (local.set $pa (i32.add (local.get $a) (local.get $j)))
      (local.set $pb (i32.add (local.get $b) (local.get $j)))
      (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (v128.load (local.get $pa)) (v128.load (local.get $pb)))))
      (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (v128.load offset=16 (local.get $pa)) (v128.load offset=16 (local.get $pb)))))
      (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (v128.load offset=32 (local.get $pa)) (v128.load offset=32 (local.get $pb)))))
      (local.set $s3 (f32x4.add (local.get $s3) (f32x4.mul (v128.load offset=48 (local.get $pa)) (v128.load offset=48 (local.get $pb)))))
      (local.set $j (i32.add (local.get $j) (i32.const 64)))
      (br_if $cols (i32.lt_u (local.get $j) (local.get $kb))))
    (call $hsum (f32x4.add (f32x4.add (local.get $s0) (local.get $s1)) (f32x4.add (local.get $s2) (local.get $s3)))))

  ;; out += s * v
  (func $axpy (param $out i32) (param $v i32) (param $s f32) (param $kb i32)
    (local $j i32) (local $sv v128) (local $po i32) (local $pv i32)
    (local.set $sv (f32x4.splat (local.get $s)))
    (loop $cols
      (local.set $po (i32.add (local.get $out) (local.get $j)))
      (local.set $pv (i32.add (local.get $v) (local.get $j)))
      (v128.store (local.get $po) (f32x4.add (v128.load (local.get $po)) (f32x4.mul (v128.load (local.get $pv)) (local.get $sv))))
      (v128.store offset=16 (local.get $po) (f32x4.add (v128.load offset=16 (local.get $po)) (f32x4.mul (v128.load offset=16 (local.get $pv)) (local.get $sv))))
      (v128.store offset=32 (local.get $po) (f32x4.add (v128.load offset=32 (local.get $po)) (f32x4.mul (v128.load offset=32 (local.get $pv)) (local.get $sv))))
      (v128.store offset=48 (local.get $po) (f32x4.add (v128.load offset=48 (local.get $po)) (f32x4.mul (v128.load offset=48 (local.get $pv)) (local.get $sv))))
      (local.set $j (i32.add (local.get $j) (i32.const 64)))
      (br_if $cols (i32.lt_u (local.get $j) (local.get $kb)))))

  ;; p = r + beta * p
  (func $xpby (param $p i32) (param $r i32) (param $beta f32) (param $kb i32)
    (local $j i32) (local $bv v128) (local $pp i32)
    (local.set $bv (f32x4.splat (local.get $beta)))
    (loop $cols
      (local.set $pp (i32.add (local.get $p) (local.get $j)))
      (v128.store (local.get $pp)
        (f32x4.add (v128.load (i32.add (local.get $r) (local.get $j))) (f32x4.mul (v128.load (local.get $pp)) (local.get $bv))))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br_if $cols (i32.lt_u (local.get $j) (local.get $kb)))))

  ;; out = sign * G v (G is k x k, row-major)
  (func $gemv (param $g i32) (param $v i32) (param $out i32) (param $sign f32) (param $k i32) (param $kb i32)
    (local $a i32)
    (loop $rows
      (f32.store
        (i32.add (local.get $out) (i32.shl (local.get $a) (i32.const 2)))
        (f32.mul (local.get $sign) (call $dot (i32.add (local.get $g) (i32.mul (local.get $a) (local.get $kb))) (local.get $v) (local.get $kb))))
      (local.set $a (i32.add (local.get $a) (i32.const 1)))
      (br_if $rows (i32.lt_u (local.get $a) (local.get $k)))))

  ;; One CG solve per row of target (rows x k, updated in place) against other (the fixed side).
  ;; indptr holds rows + 1 entry numbers counted from $base; indices/values hold those entries.
  ;; With $loss non-zero, each row's training-loss term goes to loss[row] as f64.
  (func (export "solveRows")
    (param $g i32) (param $other i32) (param $target i32) (param $indptr i32) (param $indices i32) (param $values i32)
    (param $base i32) (param $rows i32) (param $k i32) (param $alpha f32) (param $steps i32) (param $scratch i32) (param $loss i32)
    (local $kb i32) (local $row i32) (local $x i32) (local $r i32) (local $p i32) (local $ap i32)
    (local $n i32) (local $stop i32) (local $w f32) (local $c f32) (local $y i32) (local $s f32)
    (local $rsOld f32) (local $rsNew f32) (local $step i32) (local $stepSize f32) (local $rowLoss f64) (local $miss f64) (local $s64 f64) (local $j i32)
    (local.set $kb (i32.shl (local.get $k) (i32.const 2)))
    (local.set $r (local.get $scratch))
    (local.set $p (i32.add (local.get $scratch) (local.get $kb)))
    (local.set $ap (i32.add (local.get $p) (local.get $kb)))
    (block $done (loop $rowLoop
      (br_if $done (i32.ge_u (local.get $row) (local.get $rows)))
      (local.set $x (i32.add (local.get $target) (i32.mul (local.get $row) (local.get $kb))))
      (local.set $n (i32.sub (i32.load (i32.add (local.get $indptr) (i32.shl (local.get $row) (i32.const 2)))) (local.get $base)))
      (local.set $stop (i32.sub (i32.load offset=4 (i32.add (local.get $indptr) (i32.shl (local.get $row) (i32.const 2)))) (local.get $base)))
      ;; r = b - A x
      (call $gemv (local.get $g) (local.get $x) (local.get $r) (f32.const -1) (local.get $k) (local.get $kb))
      (block $bDone (loop $bLoop
        (br_if $bDone (i32.ge_u (local.get $n) (local.get $stop)))
        (local.set $w (f32.load (i32.add (local.get $values) (i32.shl (local.get $n) (i32.const 2)))))
        (local.set $c (f32.add (f32.const 1) (f32.mul (local.get $alpha) (f32.abs (local.get $w)))))
        (local.set $y (i32.add (local.get $other) (i32.mul (i32.load (i32.add (local.get $indices) (i32.shl (local.get $n) (i32.const 2)))) (local.get $kb))))
        (local.set $s (call $dot (local.get $y) (local.get $x) (local.get $kb)))
        (call $axpy (local.get $r) (local.get $y)
          (f32.sub
            (select (local.get $c) (f32.const 0) (f32.gt (local.get $w) (f32.const 0)))
            (f32.mul (f32.sub (local.get $c) (f32.const 1)) (local.get $s)))
          (local.get $kb))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $bLoop)))
      ;; p = r
      (local.set $j (i32.const 0))
      (loop $copy
        (v128.store (i32.add (local.get $p) (local.get $j)) (v128.load (i32.add (local.get $r) (local.get $j))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br_if $copy (i32.lt_u (local.get $j) (local.get $kb))))
      (local.set $rsOld (call $dot (local.get $r) (local.get $r) (local.get $kb)))
      (local.set $step (i32.const 0))
      (block $cgDone (loop $cgLoop
        (br_if $cgDone (i32.ge_u (local.get $step) (local.get $steps)))
        (br_if $cgDone (i32.eqz (f32.gt (local.get $rsOld) (f32.const 1e-20))))
        (call $gemv (local.get $g) (local.get $p) (local.get $ap) (f32.const 1) (local.get $k) (local.get $kb))
        (local.set $n (i32.sub (i32.load (i32.add (local.get $indptr) (i32.shl (local.get $row) (i32.const 2)))) (local.get $base)))
        (block $aDone (loop $aLoop
          (br_if $aDone (i32.ge_u (local.get $n) (local.get $stop)))
          (local.set $w (f32.load (i32.add (local.get $values) (i32.shl (local.get $n) (i32.const 2)))))
          (local.set $y (i32.add (local.get $other) (i32.mul (i32.load (i32.add (local.get $indices) (i32.shl (local.get $n) (i32.const 2)))) (local.get $kb))))
          (call $axpy (local.get $ap) (local.get $y)
            (f32.mul (f32.mul (local.get $alpha) (f32.abs (local.get $w))) (call $dot (local.get $y) (local.get $p) (local.get $kb)))
            (local.get $kb))
          (local.set $n (i32.add (local.get $n) (i32.const 1)))
          (br $aLoop)))
        (local.set $stepSize (f32.div (local.get $rsOld) (call $dot (local.get $p) (local.get $ap) (local.get $kb))))
        (call $axpy (local.get $x) (local.get $p) (local.get $stepSize) (local.get $kb))
        (call $axpy (local.get $r) (local.get $ap) (f32.neg (local.get $stepSize)) (local.get $kb))
        (local.set $rsNew (call $dot (local.get $r) (local.get $r) (local.get $kb)))
        (call $xpby (local.get $p) (local.get $r) (f32.div (local.get $rsNew) (local.get $rsOld)) (local.get $kb))
        (local.set $rsOld (local.get $rsNew))
        (local.set $step (i32.add (local.get $step) (i32.const 1)))
        (br $cgLoop)))
      (if (local.get $loss) (then
        (call $gemv (local.get $g) (local.get $x) (local.get $ap) (f32.const 1) (local.get $k) (local.get $kb))
        (local.set $rowLoss (f64.promote_f32 (call $dot (local.get $x) (local.get $ap) (local.get $kb))))
        (local.set $n (i32.sub (i32.load (i32.add (local.get $indptr) (i32.shl (local.get $row) (i32.const 2)))) (local.get $base)))
        (block $lDone (loop $lLoop
          (br_if $lDone (i32.ge_u (local.get $n) (local.get $stop)))
          (local.set $w (f32.load (i32.add (local.get $values) (i32.shl (local.get $n) (i32.const 2)))))
          (local.set $y (i32.add (local.get $other) (i32.mul (i32.load (i32.add (local.get $indices) (i32.shl (local.get $n) (i32.const 2)))) (local.get $kb))))
          (local.set $s64 (f64.promote_f32 (call $dot (local.get $y) (local.get $x) (local.get $kb))))
          (local.set $miss (f64.sub (select (f64.const 1) (f64.const 0) (f32.gt (local.get $w) (f32.const 0))) (local.get $s64)))
          (local.set $rowLoss (f64.add (local.get $rowLoss)
            (f64.sub
              (f64.mul (f64.promote_f32 (f32.add (f32.const 1) (f32.mul (local.get $alpha) (f32.abs (local.get $w))))) (f64.mul (local.get $miss) (local.get $miss)))
              (f64.mul (local.get $s64) (local.get $s64)))))
          (local.set $n (i32.add (local.get $n) (i32.const 1)))
          (br $lLoop)))
        (f64.store (i32.add (local.get $loss) (i32.shl (local.get $row) (i32.const 3))) (local.get $rowLoss))))
      (local.set $row (i32.add (local.get $row) (i32.const 1)))
      (br $rowLoop))))

  ;; The Gram matrix's per-chunk sum of f^T f, in float64 like partialGrams (als-kernels.ts) and bit
  ;; for bit the same: each product of two float32 values is exact in float64 and every out[a][b]
  ;; (b >= a) receives the same additions in the same row order; f64x2 lanes only do two b at once.
  ;; rows x k float32 factors at $f; out is kp x kp float64 (kp even, >= k), zeroed by the caller;
  ;; $scratch holds kp float64 whose tail past k the caller zeroes. Starting b at a rounded down to
  ;; even also writes out[a][a-1] for odd a, below the diagonal, which the caller does not read.
  (func (export "partialGram") (param $f i32) (param $rows i32) (param $k i32) (param $kp i32) (param $out i32) (param $scratch i32)
    (local $r i32) (local $a i32) (local $b i32) (local $row i32) (local $va f64) (local $vs v128) (local $p i32) (local $q i32)
    (local.set $row (local.get $f))
    (block $done (loop $rowLoop
      (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $a (i32.const 0))
      (loop $widen
        (f64.store (i32.add (local.get $scratch) (i32.shl (local.get $a) (i32.const 3)))
          (f64.promote_f32 (f32.load (i32.add (local.get $row) (i32.shl (local.get $a) (i32.const 2))))))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (br_if $widen (i32.lt_u (local.get $a) (local.get $k))))
      (local.set $a (i32.const 0))
      (loop $aLoop
        (local.set $va (f64.load (i32.add (local.get $scratch) (i32.shl (local.get $a) (i32.const 3)))))
        (if (f64.ne (local.get $va) (f64.const 0)) (then
          (local.set $vs (f64x2.splat (local.get $va)))
          (local.set $b (i32.and (local.get $a) (i32.const -2)))
          (local.set $p (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $a) (local.get $kp)) (local.get $b)) (i32.const 3))))
          (local.set $q (i32.add (local.get $scratch) (i32.shl (local.get $b) (i32.const 3))))
          (loop $bLoop
            (v128.store (local.get $p) (f64x2.add (v128.load (local.get $p)) (f64x2.mul (local.get $vs) (v128.load (local.get $q)))))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (local.set $q (i32.add (local.get $q) (i32.const 16)))
            (local.set $b (i32.add (local.get $b) (i32.const 2)))
            (br_if $bLoop (i32.lt_u (local.get $b) (local.get $k))))))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (br_if $aLoop (i32.lt_u (local.get $a) (local.get $k))))
      (local.set $row (i32.add (local.get $row) (i32.shl (local.get $k) (i32.const 2))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rowLoop))))
)
