;; 128-bit SIMD kernels for the payload's hot loops: float32 <-> float16 conversion
;; (tensor/codecFloat16.ts) and grouped min-max quantization and dequantization
;; (quantization/quantizeGroups.ts, dequantizeGroups.ts). Every result is bit-identical to
;; the scalar reference (codecFloat16's bit arithmetic; quantization/scalar/):
;; - float16 narrowing rounds half to even (subnormals through a float32 addition that
;;   rounds at 2^-24), overflows to infinity, keeps NaN's payload; widening is exact;
;; - a group's minimum and maximum are exact (-0 is made +0 before use, as the reference does);
;; - the zero point is the largest float16 <= min and the scale the smallest float16 >=
;;   (max - zero) / levels (a float64 quotient), both directed roundings of exact values;
;; - a code is trunc((x - zero) * (1 / scale) + 0.5) in float64, capped at levels. The
;;   kernels compute it in float32, whose error is below 1e-4 of a step, and take the float64
;;   path for the 4 lanes whenever a float32 result lies within 2^-8 of a step boundary;
;; - a dequantized value is code * scale + zero in float32 (the product is exact, the sum
;;   rounded once).
;; A kernel that meets a non-finite value, or a range float16 cannot hold, returns the index
;; of the group (or column) and stops; the caller then lets the reference raise the error.
;;
;; Layouts ("runs": groups along the last axis; "cols": groups along an inner axis, one
;; group per column of `inner` elements) follow ../GroupLayout.ts. Element counts passed
;; here are multiples of 4, so the int4 codes of a block start on a byte. Data moves through
;; a fixed arena (exported globals: byte offsets) of blocks of `block` elements.
;;
;; Assembled into kernelsWasm.ts by `pnpm --filter @signal/core kernels`.
(module
  (memory (export "memory") 22)
  (global (export "block") i32 (i32.const 32768))
  ;; float32 values in or out
  (global (export "floats") i32 (i32.const 0))
  ;; codes, a byte per element at most
  (global (export "codes") i32 (i32.const 131072))
  ;; float16 scale and zero-point bits, at most one group per element
  (global (export "scale") i32 (i32.const 163840))
  (global (export "zero") i32 (i32.const 229376))
  ;; float16 bits in or out
  (global (export "halves") i32 (i32.const 294912))
  ;; per group (or column) scratch: range (or float32 scale and zero point when decoding),
  ;; float64 and float32 zero points and inverse scales
  (global $lo i32 (i32.const 360448))
  (global $hi i32 (i32.const 491520))
  ;; 622592: zd, 884736: id, 1146880: zf, 1277952: if (float64 x2, float32 x2)

  ;; float16 bits of $n float32 (a multiple of 4) from floats to halves. Returns 1 when a
  ;; result is NaN or infinite, else 0.
  (func (export "narrow") (param $n i32) (result i32)
    (local $k i32) (local $u v128) (local $a v128) (local $h v128) (local $bad v128) (local $end i32)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (loop $four
      (local.set $u (v128.load offset=0 (local.get $k)))
      (local.set $a (v128.and (local.get $u) (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff)))
      (local.set $h
        (v128.bitselect
          (i32x4.sub (f32x4.add (local.get $a) (v128.const f32x4 0.5 0.5 0.5 0.5)) (v128.const i32x4 0x3f000000 0x3f000000 0x3f000000 0x3f000000))
          (i32x4.shr_u
            (i32x4.add
              (i32x4.add (local.get $a) (v128.const i32x4 0xc8000fff 0xc8000fff 0xc8000fff 0xc8000fff))
              (v128.and (i32x4.shr_u (local.get $a) (i32.const 13)) (v128.const i32x4 1 1 1 1)))
            (i32.const 13))
          (i32x4.lt_s (local.get $a) (v128.const i32x4 0x38800000 0x38800000 0x38800000 0x38800000))))
      (local.set $h
        (v128.bitselect (v128.const i32x4 0x7c00 0x7c00 0x7c00 0x7c00) (local.get $h)
          (i32x4.ge_s (local.get $a) (v128.const i32x4 0x47800000 0x47800000 0x47800000 0x47800000))))
      (local.set $h
        (v128.bitselect
          (v128.or (v128.const i32x4 0x7e00 0x7e00 0x7e00 0x7e00) (v128.and (i32x4.shr_u (local.get $a) (i32.const 13)) (v128.const i32x4 0x3ff 0x3ff 0x3ff 0x3ff)))
          (local.get $h)
          (i32x4.gt_s (local.get $a) (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000))))
      (local.set $h
        (v128.or (local.get $h) (v128.and (i32x4.shr_u (local.get $u) (i32.const 16)) (v128.const i32x4 0x8000 0x8000 0x8000 0x8000))))
      (local.set $bad
        (v128.or (local.get $bad)
          (i32x4.eq (v128.and (local.get $h) (v128.const i32x4 0x7c00 0x7c00 0x7c00 0x7c00)) (v128.const i32x4 0x7c00 0x7c00 0x7c00 0x7c00))))
      (v128.store64_lane offset=294912 0 (i32.shr_u (local.get $k) (i32.const 1))
        (i16x8.narrow_i32x4_u (local.get $h) (local.get $h)))
      (local.set $k (i32.add (local.get $k) (i32.const 16)))
      (br_if $four (i32.lt_u (local.get $k) (local.get $end))))
    (v128.any_true (local.get $bad)))

  ;; float32 values of $n float16 bits (a multiple of 4) from halves to floats: infinities
  ;; stay so, NaN becomes float32's quiet NaN. Returns 1 when a half is NaN or infinite.
  (func (export "widen") (param $n i32) (result i32)
    (local $k i32) (local $h v128) (local $special v128) (local $bad v128) (local $end i32)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (loop $four
      (local.set $h
        (i32x4.extend_low_i16x8_u
          (v128.load64_zero offset=294912 (i32.shr_u (local.get $k) (i32.const 1)))))
      (local.set $special
        (i32x4.eq (v128.and (local.get $h) (v128.const i32x4 0x7c00 0x7c00 0x7c00 0x7c00)) (v128.const i32x4 0x7c00 0x7c00 0x7c00 0x7c00)))
      (local.set $bad (v128.or (local.get $bad) (local.get $special)))
      (v128.store offset=0 (local.get $k)
        (v128.bitselect
          (v128.bitselect
            (v128.const i32x4 0x7fc00000 0x7fc00000 0x7fc00000 0x7fc00000)
            (v128.or (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000) (i32x4.shl (v128.and (local.get $h) (v128.const i32x4 0x8000 0x8000 0x8000 0x8000)) (i32.const 16)))
            (i32x4.ne (v128.and (local.get $h) (v128.const i32x4 0x3ff 0x3ff 0x3ff 0x3ff)) (v128.const i32x4 0 0 0 0)))
          (v128.or
        (f32x4.mul (i32x4.shl (v128.and (local.get $h) (v128.const i32x4 0x7fff 0x7fff 0x7fff 0x7fff)) (i32.const 13)) (v128.const f32x4 0x1p112 0x1p112 0x1p112 0x1p112))
        (i32x4.shl (v128.and (local.get $h) (v128.const i32x4 0x8000 0x8000 0x8000 0x8000)) (i32.const 16)))
          (local.get $special)))
      (local.set $k (i32.add (local.get $k) (i32.const 16)))
      (br_if $four (i32.lt_u (local.get $k) (local.get $end))))
    (v128.any_true (local.get $bad)))

  ;; Zero points and scales of $count groups (a multiple of 4) from their ranges in lo/hi:
  ;; bits to scale/zero from group $bitsAt on, float64 and float32 zero points and inverse
  ;; scales (0 for a zero scale) to zd/id/zf/if from 0. Returns -1, or the first of the 4
  ;; groups where a range is not finite or does not fit float16.
  (func $parameters (param $count i32) (param $levels i32) (param $bitsAt i32) (result i32)
    (local $i i32) (local $lo v128) (local $hi v128) (local $zb v128) (local $sb v128)
    (local $zf v128) (local $sf v128) (local $zd01 v128) (local $zd23 v128) (local $l v128)
    (local $s01 v128) (local $s23 v128) (local $inv01 v128) (local $inv23 v128) (local $at i32)
    (local $x01 v128) (local $x23 v128) (local $a v128) (local $m v128) (local $h v128) (local $hs v128)
    (local $sub v128) (local $big v128) (local $inexact v128) (local $f v128)
    (local.set $l (f64x2.splat (f64.convert_i32_u (local.get $levels))))
    (loop $four
      (local.set $at (i32.shl (local.get $i) (i32.const 2)))
      (local.set $lo (v128.load offset=360448 (local.get $at)))
      (local.set $hi (v128.load offset=491520 (local.get $at)))
      (if (i32.eqz
            (i32x4.all_true
              (v128.and
                (f32x4.eq (f32x4.sub (local.get $lo) (local.get $lo)) (v128.const f32x4 0 0 0 0))
                (f32x4.eq (f32x4.sub (local.get $hi) (local.get $hi)) (v128.const f32x4 0 0 0 0)))))
        (then (return (local.get $i))))
      (local.set $lo (f32x4.add (local.get $lo) (v128.const f32x4 0 0 0 0)))
      (local.set $hi (f32x4.add (local.get $hi) (v128.const f32x4 0 0 0 0)))
      (local.set $a (v128.and (local.get $lo) (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff)))
      (local.set $sub (i32x4.lt_s (local.get $a) (v128.const i32x4 0x38800000 0x38800000 0x38800000 0x38800000)))
      (local.set $big (i32x4.ge_s (local.get $a) (v128.const i32x4 0x47800000 0x47800000 0x47800000 0x47800000)))
      (local.set $m (f32x4.mul (f32x4.abs (local.get $lo)) (v128.const f32x4 0x1p24 0x1p24 0x1p24 0x1p24)))
      (local.set $hs (i32x4.trunc_sat_f32x4_s (local.get $m)))
      (local.set $h
        (v128.bitselect
          (v128.const i32x4 0x7bff 0x7bff 0x7bff 0x7bff)
          (v128.bitselect
            (local.get $hs)
            (i32x4.sub (i32x4.shr_u (local.get $a) (i32.const 13)) (v128.const i32x4 0x1c000 0x1c000 0x1c000 0x1c000))
            (local.get $sub))
          (local.get $big)))
      (local.set $inexact
        (v128.or
          (local.get $big)
          (v128.bitselect
            (f32x4.ne (f32x4.convert_i32x4_s (local.get $hs)) (local.get $m))
            (i32x4.ne (v128.and (local.get $a) (v128.const i32x4 0x1fff 0x1fff 0x1fff 0x1fff)) (v128.const i32x4 0 0 0 0))
            (local.get $sub))))
      (local.set $zb
        (v128.bitselect
          (v128.or (i32x4.sub (local.get $h) (local.get $inexact)) (v128.const i32x4 0x8000 0x8000 0x8000 0x8000))
          (local.get $h)
          (i32x4.lt_s (local.get $lo) (v128.const i32x4 0 0 0 0))))
      (local.set $zf (v128.or
        (f32x4.mul (i32x4.shl (v128.and (local.get $zb) (v128.const i32x4 0x7fff 0x7fff 0x7fff 0x7fff)) (i32.const 13)) (v128.const f32x4 0x1p112 0x1p112 0x1p112 0x1p112))
        (i32x4.shl (v128.and (local.get $zb) (v128.const i32x4 0x8000 0x8000 0x8000 0x8000)) (i32.const 16))))
      (local.set $zd01 (f64x2.promote_low_f32x4 (local.get $zf)))
      (local.set $zd23 (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $zf) (local.get $zf))))
      (local.set $x01
        (f64x2.div (f64x2.sub (f64x2.promote_low_f32x4 (local.get $hi)) (local.get $zd01)) (local.get $l)))
      (local.set $x23
        (f64x2.div (f64x2.sub (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $hi) (local.get $hi))) (local.get $zd23)) (local.get $l)))
      (local.set $f
        (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
          (f32x4.demote_f64x2_zero (local.get $x01))
          (f32x4.demote_f64x2_zero (local.get $x23))))
      (local.set $a
        (i32x4.sub (local.get $f)
          (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27
            (f64x2.lt (f64x2.promote_low_f32x4 (local.get $f)) (local.get $x01))
            (f64x2.lt (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $f) (local.get $f))) (local.get $x23)))))
      (local.set $sub (i32x4.lt_s (local.get $a) (v128.const i32x4 0x38800000 0x38800000 0x38800000 0x38800000)))
      (local.set $m (f32x4.mul (local.get $a) (v128.const f32x4 0x1p24 0x1p24 0x1p24 0x1p24)))
      (local.set $hs (i32x4.trunc_sat_f32x4_s (local.get $m)))
      (local.set $sb
        (v128.bitselect
          (v128.const i32x4 0x7c00 0x7c00 0x7c00 0x7c00)
          (v128.bitselect
            (i32x4.sub (local.get $hs)
              (f32x4.ne (f32x4.convert_i32x4_s (local.get $hs)) (local.get $m)))
            (i32x4.sub
              (i32x4.sub (i32x4.shr_u (local.get $a) (i32.const 13)) (v128.const i32x4 0x1c000 0x1c000 0x1c000 0x1c000))
              (i32x4.ne (v128.and (local.get $a) (v128.const i32x4 0x1fff 0x1fff 0x1fff 0x1fff)) (v128.const i32x4 0 0 0 0)))
            (local.get $sub))
          (i32x4.ge_s (local.get $a) (v128.const i32x4 0x47800000 0x47800000 0x47800000 0x47800000))))
      (if (i32.eqz
            (i32x4.all_true
              (v128.and
                (i32x4.ne (v128.and (local.get $zb) (v128.const i32x4 0x7c00 0x7c00 0x7c00 0x7c00)) (v128.const i32x4 0x7c00 0x7c00 0x7c00 0x7c00))
                (i32x4.ne (v128.and (local.get $sb) (v128.const i32x4 0x7c00 0x7c00 0x7c00 0x7c00)) (v128.const i32x4 0x7c00 0x7c00 0x7c00 0x7c00)))))
        (then (return (local.get $i))))
      (local.set $sf (v128.or
        (f32x4.mul (i32x4.shl (v128.and (local.get $sb) (v128.const i32x4 0x7fff 0x7fff 0x7fff 0x7fff)) (i32.const 13)) (v128.const f32x4 0x1p112 0x1p112 0x1p112 0x1p112))
        (i32x4.shl (v128.and (local.get $sb) (v128.const i32x4 0x8000 0x8000 0x8000 0x8000)) (i32.const 16))))
      (local.set $s01 (f64x2.promote_low_f32x4 (local.get $sf)))
      (local.set $s23 (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $sf) (local.get $sf))))
      (local.set $inv01
        (v128.and (f64x2.div (v128.const f64x2 1 1) (local.get $s01))
          (f64x2.gt (local.get $s01) (v128.const f64x2 0 0))))
      (local.set $inv23
        (v128.and (f64x2.div (v128.const f64x2 1 1) (local.get $s23))
          (f64x2.gt (local.get $s23) (v128.const f64x2 0 0))))
      (v128.store offset=622592 (i32.shl (local.get $at) (i32.const 1)) (local.get $zd01))
      (v128.store offset=622608 (i32.shl (local.get $at) (i32.const 1)) (local.get $zd23))
      (v128.store offset=884736 (i32.shl (local.get $at) (i32.const 1)) (local.get $inv01))
      (v128.store offset=884752 (i32.shl (local.get $at) (i32.const 1)) (local.get $inv23))
      (v128.store offset=1146880 (local.get $at) (local.get $zf))
      (v128.store offset=1277952 (local.get $at)
        (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
          (f32x4.demote_f64x2_zero (local.get $inv01))
          (f32x4.demote_f64x2_zero (local.get $inv23))))
      (v128.store64_lane offset=229376 0
        (i32.shl (i32.add (local.get $bitsAt) (local.get $i)) (i32.const 1))
        (i16x8.narrow_i32x4_u (local.get $zb) (local.get $zb)))
      (v128.store64_lane offset=163840 0
        (i32.shl (i32.add (local.get $bitsAt) (local.get $i)) (i32.const 1))
        (i16x8.narrow_i32x4_u (local.get $sb) (local.get $sb)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br_if $four (i32.lt_u (local.get $i) (local.get $count))))
    (i32.const -1))

  ;; Groups along the last axis: $rows rows of $length float32 in floats, each cut into
  ;; groups of $group (the last may be shorter). Codes to codes, scale and zero-point bits
  ;; (one per group, in order) to scale and zero. Returns -1, or a failing group.
  (func (export "runsQuantize")
    (param $rows i32) (param $length i32) (param $group i32) (param $levels i32) (param $packed i32)
    (result i32)
    (local $gi i32) (local $groups i32) (local $r i32) (local $start i32) (local $n i32)
    (local $p i32) (local $end i32) (local $codes i32) (local $nan v128) (local $vlo v128)
    (local $vhi v128) (local $z v128) (local $i v128) (local $zd v128) (local $id v128)
    (local $v v128) (local $t v128) (local $f v128) (local $d v128) (local $q v128) (local $ll v128)
    (local $va v128) (local $vb v128) (local $ta v128) (local $tb v128) (local $fa v128) (local $fb v128)
    (local $qa v128) (local $qb v128) (local $x v128)
    ;; Ranges of every group of the block.
    (local.set $p (i32.const 0))
    (loop $row
      (local.set $start (i32.const 0))
      (loop $groups
        (local.set $n (i32.sub (local.get $length) (local.get $start)))
        (if (i32.gt_u (local.get $n) (local.get $group)) (then (local.set $n (local.get $group))))
        (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
        (local.set $vlo (v128.const f32x4 inf inf inf inf))
        (local.set $vhi (v128.const f32x4 -inf -inf -inf -inf))
        (loop $scan
          (local.set $v (v128.load (local.get $p)))
          (local.set $vlo (f32x4.pmin (local.get $vlo) (local.get $v)))
          (local.set $vhi (f32x4.pmax (local.get $vhi) (local.get $v)))
          (local.set $nan (v128.or (local.get $nan) (f32x4.ne (local.get $v) (local.get $v))))
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (br_if $scan (i32.lt_u (local.get $p) (local.get $end))))
        (if (v128.any_true (local.get $nan)) (then (return (local.get $groups))))
        (local.set $vlo (f32x4.pmin (local.get $vlo) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $vlo) (local.get $vlo))))
        (local.set $vhi (f32x4.pmax (local.get $vhi) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $vhi) (local.get $vhi))))
        (f32.store offset=360448 (i32.shl (local.get $groups) (i32.const 2))
          (f32x4.extract_lane 0
            (f32x4.pmin (local.get $vlo) (i8x16.shuffle 4 5 6 7 0 1 2 3 4 5 6 7 0 1 2 3 (local.get $vlo) (local.get $vlo)))))
        (f32.store offset=491520 (i32.shl (local.get $groups) (i32.const 2))
          (f32x4.extract_lane 0
            (f32x4.pmax (local.get $vhi) (i8x16.shuffle 4 5 6 7 0 1 2 3 4 5 6 7 0 1 2 3 (local.get $vhi) (local.get $vhi)))))
        (local.set $groups (i32.add (local.get $groups) (i32.const 1)))
        (local.set $start (i32.add (local.get $start) (local.get $n)))
        (br_if $groups (i32.lt_u (local.get $start) (local.get $length))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br_if $row (i32.lt_u (local.get $r) (local.get $rows))))
    ;; Finite padding up to a multiple of 4 groups.
    (v128.store offset=360448 (i32.shl (local.get $groups) (i32.const 2)) (v128.const f32x4 0 0 0 0))
    (v128.store offset=491520 (i32.shl (local.get $groups) (i32.const 2)) (v128.const f32x4 0 0 0 0))
    (if (i32.ge_s
          (call $parameters
            (i32.and (i32.add (local.get $groups) (i32.const 3)) (i32.const -4))
            (local.get $levels) (i32.const 0))
          (i32.const 0))
      (then (return (i32.const 0))))
    ;; Codes, group by group.
    (local.set $ll (i32x4.splat (local.get $levels)))
    (local.set $codes (i32.const 131072))
    (local.set $p (i32.const 0))
    (local.set $r (i32.const 0))
    (loop $row
      (local.set $start (i32.const 0))
      (loop $groups
        (local.set $n (i32.sub (local.get $length) (local.get $start)))
        (if (i32.gt_u (local.get $n) (local.get $group)) (then (local.set $n (local.get $group))))
        (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
        (local.set $z (v128.load32_splat offset=1146880 (i32.shl (local.get $gi) (i32.const 2))))
        (local.set $i (v128.load32_splat offset=1277952 (i32.shl (local.get $gi) (i32.const 2))))
        (local.set $zd (v128.load64_splat offset=622592 (i32.shl (local.get $gi) (i32.const 3))))
        (local.set $id (v128.load64_splat offset=884736 (i32.shl (local.get $gi) (i32.const 3))))
        (if (local.get $packed)
          (then
            (block $tail
              (br_if $tail (i32.gt_u (i32.add (local.get $p) (i32.const 32)) (local.get $end)))
              (loop $encode
                (local.set $va (v128.load (local.get $p)))
                (local.set $vb (v128.load offset=16 (local.get $p)))
                (local.set $ta (f32x4.add (f32x4.mul (f32x4.sub (local.get $va) (local.get $z)) (local.get $i)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
                (local.set $tb (f32x4.add (f32x4.mul (f32x4.sub (local.get $vb) (local.get $z)) (local.get $i)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
                (local.set $fa (f32x4.floor (local.get $ta)))
                (local.set $fb (f32x4.floor (local.get $tb)))
                (if (v128.any_true
                      (v128.or
                        (f32x4.gt (f32x4.abs (f32x4.sub (f32x4.sub (local.get $ta) (local.get $fa)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
                          (v128.const f32x4 0x1.fcp-2 0x1.fcp-2 0x1.fcp-2 0x1.fcp-2))
                        (f32x4.gt (f32x4.abs (f32x4.sub (f32x4.sub (local.get $tb) (local.get $fb)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
                          (v128.const f32x4 0x1.fcp-2 0x1.fcp-2 0x1.fcp-2 0x1.fcp-2))))
                  (then
                    (local.set $qa
                      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                        (i32x4.trunc_sat_f64x2_s_zero
                          (f64x2.add
                            (f64x2.mul (f64x2.sub (f64x2.promote_low_f32x4 (local.get $va)) (local.get $zd)) (local.get $id))
                            (v128.const f64x2 0.5 0.5)))
                        (i32x4.trunc_sat_f64x2_s_zero
                          (f64x2.add
                            (f64x2.mul
                              (f64x2.sub
                                (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $va) (local.get $va)))
                                (local.get $zd))
                              (local.get $id))
                            (v128.const f64x2 0.5 0.5)))))
                    (local.set $qb
                      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                        (i32x4.trunc_sat_f64x2_s_zero
                          (f64x2.add
                            (f64x2.mul (f64x2.sub (f64x2.promote_low_f32x4 (local.get $vb)) (local.get $zd)) (local.get $id))
                            (v128.const f64x2 0.5 0.5)))
                        (i32x4.trunc_sat_f64x2_s_zero
                          (f64x2.add
                            (f64x2.mul
                              (f64x2.sub
                                (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $vb) (local.get $vb)))
                                (local.get $zd))
                              (local.get $id))
                            (v128.const f64x2 0.5 0.5))))))
                  (else
                    (local.set $qa (v128.and (f32x4.add (local.get $fa) (v128.const f32x4 0x1p23 0x1p23 0x1p23 0x1p23)) (v128.const i32x4 0x7fffff 0x7fffff 0x7fffff 0x7fffff)))
                    (local.set $qb (v128.and (f32x4.add (local.get $fb) (v128.const f32x4 0x1p23 0x1p23 0x1p23 0x1p23)) (v128.const i32x4 0x7fffff 0x7fffff 0x7fffff 0x7fffff)))))
                (local.set $x (i16x8.min_s (i16x8.narrow_i32x4_u (local.get $qa) (local.get $qb)) (v128.const i32x4 0x000f000f 0x000f000f 0x000f000f 0x000f000f)))
                (v128.store32_lane 0 (local.get $codes)
                  (i8x16.shuffle 0 4 8 12 0 0 0 0 0 0 0 0 0 0 0 0
                    (v128.or (local.get $x) (i32x4.shr_u (local.get $x) (i32.const 12)))
                    (local.get $x)))
                (local.set $codes (i32.add (local.get $codes) (i32.const 4)))
                (local.set $p (i32.add (local.get $p) (i32.const 32)))
                (br_if $encode (i32.le_u (i32.add (local.get $p) (i32.const 32)) (local.get $end)))))
            (if (i32.lt_u (local.get $p) (local.get $end))
              (then
                (local.set $v (v128.load (local.get $p)))
                (local.set $t
                  (f32x4.add (f32x4.mul (f32x4.sub (local.get $v) (local.get $z)) (local.get $i)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
                (local.set $f (f32x4.floor (local.get $t)))
                (local.set $d (f32x4.sub (local.get $t) (local.get $f)))
                (if (v128.any_true
                      (v128.or (f32x4.lt (local.get $d) (v128.const f32x4 0x1p-8 0x1p-8 0x1p-8 0x1p-8))
                        (f32x4.gt (local.get $d) (v128.const f32x4 0x1.fep-1 0x1.fep-1 0x1.fep-1 0x1.fep-1))))
                  (then
                    (local.set $q
                      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                        (i32x4.trunc_sat_f64x2_s_zero
                          (f64x2.add
                            (f64x2.mul (f64x2.sub (f64x2.promote_low_f32x4 (local.get $v)) (local.get $zd)) (local.get $id))
                            (v128.const f64x2 0.5 0.5)))
                        (i32x4.trunc_sat_f64x2_s_zero
                          (f64x2.add
                            (f64x2.mul
                              (f64x2.sub
                                (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))
                                (local.get $zd))
                              (local.get $id))
                            (v128.const f64x2 0.5 0.5))))))
                  (else
                    (local.set $q
                      (v128.and (f32x4.add (local.get $f) (v128.const f32x4 0x1p23 0x1p23 0x1p23 0x1p23)) (v128.const i32x4 0x7fffff 0x7fffff 0x7fffff 0x7fffff)))))
                (local.set $q (i32x4.min_s (local.get $q) (local.get $ll)))
                (v128.store16_lane 0 (local.get $codes)
                  (i8x16.shuffle 0 8 0 0 0 0 0 0 0 0 0 0 0 0 0 0
                    (v128.or (local.get $q) (i64x2.shr_u (local.get $q) (i32.const 28)))
                    (local.get $q)))
                (local.set $codes (i32.add (local.get $codes) (i32.const 2)))
                (local.set $p (i32.add (local.get $p) (i32.const 16))))))
          (else
            (block $tail
              (br_if $tail (i32.gt_u (i32.add (local.get $p) (i32.const 32)) (local.get $end)))
              (loop $encode
                (local.set $va (v128.load (local.get $p)))
                (local.set $vb (v128.load offset=16 (local.get $p)))
                (local.set $ta (f32x4.add (f32x4.mul (f32x4.sub (local.get $va) (local.get $z)) (local.get $i)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
                (local.set $tb (f32x4.add (f32x4.mul (f32x4.sub (local.get $vb) (local.get $z)) (local.get $i)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
                (local.set $fa (f32x4.floor (local.get $ta)))
                (local.set $fb (f32x4.floor (local.get $tb)))
                (if (v128.any_true
                      (v128.or
                        (f32x4.gt (f32x4.abs (f32x4.sub (f32x4.sub (local.get $ta) (local.get $fa)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
                          (v128.const f32x4 0x1.fcp-2 0x1.fcp-2 0x1.fcp-2 0x1.fcp-2))
                        (f32x4.gt (f32x4.abs (f32x4.sub (f32x4.sub (local.get $tb) (local.get $fb)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
                          (v128.const f32x4 0x1.fcp-2 0x1.fcp-2 0x1.fcp-2 0x1.fcp-2))))
                  (then
                    (local.set $qa
                      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                        (i32x4.trunc_sat_f64x2_s_zero
                          (f64x2.add
                            (f64x2.mul (f64x2.sub (f64x2.promote_low_f32x4 (local.get $va)) (local.get $zd)) (local.get $id))
                            (v128.const f64x2 0.5 0.5)))
                        (i32x4.trunc_sat_f64x2_s_zero
                          (f64x2.add
                            (f64x2.mul
                              (f64x2.sub
                                (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $va) (local.get $va)))
                                (local.get $zd))
                              (local.get $id))
                            (v128.const f64x2 0.5 0.5)))))
                    (local.set $qb
                      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                        (i32x4.trunc_sat_f64x2_s_zero
                          (f64x2.add
                            (f64x2.mul (f64x2.sub (f64x2.promote_low_f32x4 (local.get $vb)) (local.get $zd)) (local.get $id))
                            (v128.const f64x2 0.5 0.5)))
                        (i32x4.trunc_sat_f64x2_s_zero
                          (f64x2.add
                            (f64x2.mul
                              (f64x2.sub
                                (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $vb) (local.get $vb)))
                                (local.get $zd))
                              (local.get $id))
                            (v128.const f64x2 0.5 0.5))))))
                  (else
                    (local.set $qa (v128.and (f32x4.add (local.get $fa) (v128.const f32x4 0x1p23 0x1p23 0x1p23 0x1p23)) (v128.const i32x4 0x7fffff 0x7fffff 0x7fffff 0x7fffff)))
                    (local.set $qb (v128.and (f32x4.add (local.get $fb) (v128.const f32x4 0x1p23 0x1p23 0x1p23 0x1p23)) (v128.const i32x4 0x7fffff 0x7fffff 0x7fffff 0x7fffff)))))
                (local.set $x (i16x8.narrow_i32x4_u (local.get $qa) (local.get $qb)))
                (v128.store64_lane 0 (local.get $codes) (i8x16.narrow_i16x8_u (local.get $x) (local.get $x)))
                (local.set $codes (i32.add (local.get $codes) (i32.const 8)))
                (local.set $p (i32.add (local.get $p) (i32.const 32)))
                (br_if $encode (i32.le_u (i32.add (local.get $p) (i32.const 32)) (local.get $end)))))
            (if (i32.lt_u (local.get $p) (local.get $end))
              (then
                (local.set $v (v128.load (local.get $p)))
                (local.set $t
                  (f32x4.add (f32x4.mul (f32x4.sub (local.get $v) (local.get $z)) (local.get $i)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
                (local.set $f (f32x4.floor (local.get $t)))
                (local.set $d (f32x4.sub (local.get $t) (local.get $f)))
                (if (v128.any_true
                      (v128.or (f32x4.lt (local.get $d) (v128.const f32x4 0x1p-8 0x1p-8 0x1p-8 0x1p-8))
                        (f32x4.gt (local.get $d) (v128.const f32x4 0x1.fep-1 0x1.fep-1 0x1.fep-1 0x1.fep-1))))
                  (then
                    (local.set $q
                      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                        (i32x4.trunc_sat_f64x2_s_zero
                          (f64x2.add
                            (f64x2.mul (f64x2.sub (f64x2.promote_low_f32x4 (local.get $v)) (local.get $zd)) (local.get $id))
                            (v128.const f64x2 0.5 0.5)))
                        (i32x4.trunc_sat_f64x2_s_zero
                          (f64x2.add
                            (f64x2.mul
                              (f64x2.sub
                                (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))
                                (local.get $zd))
                              (local.get $id))
                            (v128.const f64x2 0.5 0.5))))))
                  (else
                    (local.set $q
                      (v128.and (f32x4.add (local.get $f) (v128.const f32x4 0x1p23 0x1p23 0x1p23 0x1p23)) (v128.const i32x4 0x7fffff 0x7fffff 0x7fffff 0x7fffff)))))
                (local.set $q (i32x4.min_s (local.get $q) (local.get $ll)))
                (v128.store32_lane 0 (local.get $codes)
                  (i8x16.shuffle 0 4 8 12 0 0 0 0 0 0 0 0 0 0 0 0 (local.get $q) (local.get $q)))
                (local.set $codes (i32.add (local.get $codes) (i32.const 4)))
                (local.set $p (i32.add (local.get $p) (i32.const 16)))))))
        (local.set $gi (i32.add (local.get $gi) (i32.const 1)))
        (local.set $start (i32.add (local.get $start) (local.get $n)))
        (br_if $groups (i32.lt_u (local.get $start) (local.get $length))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br_if $row (i32.lt_u (local.get $r) (local.get $rows))))
    (i32.const -1))

  ;; Column-wise running minimum and maximum of $rows rows of $inner float32 at $src, into
  ;; lo and hi, started afresh when $fresh. Returns 1 when a value is NaN, else 0.
  (func $colsRange (export "colsRange")
    (param $src i32) (param $rows i32) (param $inner i32) (param $fresh i32) (result i32)
    (local $k i32) (local $r i32) (local $v v128) (local $bytes i32) (local $nan v128)
    (local.set $bytes (i32.shl (local.get $inner) (i32.const 2)))
    (if (local.get $fresh)
      (then
        (loop $init
          (v128.store offset=360448 (local.get $k) (v128.const f32x4 inf inf inf inf))
          (v128.store offset=491520 (local.get $k) (v128.const f32x4 -inf -inf -inf -inf))
          (local.set $k (i32.add (local.get $k) (i32.const 16)))
          (br_if $init (i32.lt_u (local.get $k) (local.get $bytes))))))
    (loop $row
      (local.set $k (i32.const 0))
      (loop $column
        (local.set $v (v128.load (i32.add (local.get $src) (local.get $k))))
        (v128.store offset=360448 (local.get $k)
          (f32x4.pmin (v128.load offset=360448 (local.get $k)) (local.get $v)))
        (v128.store offset=491520 (local.get $k)
          (f32x4.pmax (v128.load offset=491520 (local.get $k)) (local.get $v)))
        (local.set $nan (v128.or (local.get $nan) (f32x4.ne (local.get $v) (local.get $v))))
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (br_if $column (i32.lt_u (local.get $k) (local.get $bytes))))
      (local.set $src (i32.add (local.get $src) (local.get $bytes)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br_if $row (i32.lt_u (local.get $r) (local.get $rows))))
    (v128.any_true (local.get $nan)))

  ;; colsRange's column groups: their parameters (see $parameters), bits from group $bitsAt.
  (func $colsParameters (export "colsParameters")
    (param $inner i32) (param $levels i32) (param $bitsAt i32) (result i32)
    (call $parameters (local.get $inner) (local.get $levels) (local.get $bitsAt)))

  ;; Codes of $rows rows of $inner float32 at $src, to $codes, against colsParameters'.
  (func $colsEncode (export "colsEncode")
    (param $src i32) (param $rows i32) (param $inner i32) (param $levels i32) (param $packed i32)
    (param $codes i32)
    (local $k i32) (local $r i32) (local $bytes i32)
    (local $v v128) (local $t v128) (local $f v128) (local $d v128) (local $q v128) (local $ll v128)
    (local $va v128) (local $vb v128) (local $ta v128) (local $tb v128) (local $fa v128) (local $fb v128)
    (local $qa v128) (local $qb v128) (local $x v128)
    (local.set $ll (i32x4.splat (local.get $levels)))
    (local.set $bytes (i32.shl (local.get $inner) (i32.const 2)))
    (if (local.get $packed)
      (then
        (loop $row
          (local.set $k (i32.const 0))
          (block $tail
            (br_if $tail (i32.gt_u (i32.const 32) (local.get $bytes)))
            (loop $column
              (local.set $va (v128.load (i32.add (local.get $src) (local.get $k))))
              (local.set $vb (v128.load offset=16 (i32.add (local.get $src) (local.get $k))))
              (local.set $ta (f32x4.add (f32x4.mul (f32x4.sub (local.get $va) (v128.load offset=1146880 (local.get $k))) (v128.load offset=1277952 (local.get $k))) (v128.const f32x4 0.5 0.5 0.5 0.5)))
              (local.set $tb (f32x4.add (f32x4.mul (f32x4.sub (local.get $vb) (v128.load offset=1146896 (local.get $k))) (v128.load offset=1277968 (local.get $k))) (v128.const f32x4 0.5 0.5 0.5 0.5)))
              (local.set $fa (f32x4.floor (local.get $ta)))
              (local.set $fb (f32x4.floor (local.get $tb)))
              (if (v128.any_true
                    (v128.or
                      (f32x4.gt (f32x4.abs (f32x4.sub (f32x4.sub (local.get $ta) (local.get $fa)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
                        (v128.const f32x4 0x1.fcp-2 0x1.fcp-2 0x1.fcp-2 0x1.fcp-2))
                      (f32x4.gt (f32x4.abs (f32x4.sub (f32x4.sub (local.get $tb) (local.get $fb)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
                        (v128.const f32x4 0x1.fcp-2 0x1.fcp-2 0x1.fcp-2 0x1.fcp-2))))
                (then
                  (local.set $qa
                    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                      (i32x4.trunc_sat_f64x2_s_zero
                        (f64x2.add
                          (f64x2.mul (f64x2.sub (f64x2.promote_low_f32x4 (local.get $va)) (v128.load offset=622592 (i32.shl (local.get $k) (i32.const 1)))) (v128.load offset=884736 (i32.shl (local.get $k) (i32.const 1))))
                          (v128.const f64x2 0.5 0.5)))
                      (i32x4.trunc_sat_f64x2_s_zero
                        (f64x2.add
                          (f64x2.mul
                            (f64x2.sub
                              (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $va) (local.get $va)))
                              (v128.load offset=622608 (i32.shl (local.get $k) (i32.const 1))))
                            (v128.load offset=884752 (i32.shl (local.get $k) (i32.const 1))))
                          (v128.const f64x2 0.5 0.5)))))
                  (local.set $qb
                    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                      (i32x4.trunc_sat_f64x2_s_zero
                        (f64x2.add
                          (f64x2.mul (f64x2.sub (f64x2.promote_low_f32x4 (local.get $vb)) (v128.load offset=622624 (i32.shl (local.get $k) (i32.const 1)))) (v128.load offset=884768 (i32.shl (local.get $k) (i32.const 1))))
                          (v128.const f64x2 0.5 0.5)))
                      (i32x4.trunc_sat_f64x2_s_zero
                        (f64x2.add
                          (f64x2.mul
                            (f64x2.sub
                              (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $vb) (local.get $vb)))
                              (v128.load offset=622640 (i32.shl (local.get $k) (i32.const 1))))
                            (v128.load offset=884784 (i32.shl (local.get $k) (i32.const 1))))
                          (v128.const f64x2 0.5 0.5))))))
                (else
                  (local.set $qa (v128.and (f32x4.add (local.get $fa) (v128.const f32x4 0x1p23 0x1p23 0x1p23 0x1p23)) (v128.const i32x4 0x7fffff 0x7fffff 0x7fffff 0x7fffff)))
                  (local.set $qb (v128.and (f32x4.add (local.get $fb) (v128.const f32x4 0x1p23 0x1p23 0x1p23 0x1p23)) (v128.const i32x4 0x7fffff 0x7fffff 0x7fffff 0x7fffff)))))
              (local.set $x (i16x8.min_s (i16x8.narrow_i32x4_u (local.get $qa) (local.get $qb)) (v128.const i32x4 0x000f000f 0x000f000f 0x000f000f 0x000f000f)))
              (v128.store32_lane 0 (local.get $codes)
                (i8x16.shuffle 0 4 8 12 0 0 0 0 0 0 0 0 0 0 0 0
                  (v128.or (local.get $x) (i32x4.shr_u (local.get $x) (i32.const 12)))
                  (local.get $x)))
              (local.set $codes (i32.add (local.get $codes) (i32.const 4)))
              (local.set $k (i32.add (local.get $k) (i32.const 32)))
              (br_if $column (i32.le_u (i32.add (local.get $k) (i32.const 32)) (local.get $bytes)))))
          (if (i32.lt_u (local.get $k) (local.get $bytes))
            (then
              (local.set $v (v128.load (i32.add (local.get $src) (local.get $k))))
              (local.set $t
                (f32x4.add (f32x4.mul (f32x4.sub (local.get $v) (v128.load offset=1146880 (local.get $k))) (v128.load offset=1277952 (local.get $k))) (v128.const f32x4 0.5 0.5 0.5 0.5)))
              (local.set $f (f32x4.floor (local.get $t)))
              (local.set $d (f32x4.sub (local.get $t) (local.get $f)))
              (if (v128.any_true
                    (v128.or (f32x4.lt (local.get $d) (v128.const f32x4 0x1p-8 0x1p-8 0x1p-8 0x1p-8))
                      (f32x4.gt (local.get $d) (v128.const f32x4 0x1.fep-1 0x1.fep-1 0x1.fep-1 0x1.fep-1))))
                (then
                  (local.set $q
                    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                      (i32x4.trunc_sat_f64x2_s_zero
                        (f64x2.add
                          (f64x2.mul (f64x2.sub (f64x2.promote_low_f32x4 (local.get $v)) (v128.load offset=622592 (i32.shl (local.get $k) (i32.const 1)))) (v128.load offset=884736 (i32.shl (local.get $k) (i32.const 1))))
                          (v128.const f64x2 0.5 0.5)))
                      (i32x4.trunc_sat_f64x2_s_zero
                        (f64x2.add
                          (f64x2.mul
                            (f64x2.sub
                              (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))
                              (v128.load offset=622608 (i32.shl (local.get $k) (i32.const 1))))
                            (v128.load offset=884752 (i32.shl (local.get $k) (i32.const 1))))
                          (v128.const f64x2 0.5 0.5))))))
                (else
                  (local.set $q
                    (v128.and (f32x4.add (local.get $f) (v128.const f32x4 0x1p23 0x1p23 0x1p23 0x1p23)) (v128.const i32x4 0x7fffff 0x7fffff 0x7fffff 0x7fffff)))))
              (local.set $q (i32x4.min_s (local.get $q) (local.get $ll)))
              (v128.store16_lane 0 (local.get $codes)
                (i8x16.shuffle 0 8 0 0 0 0 0 0 0 0 0 0 0 0 0 0
                  (v128.or (local.get $q) (i64x2.shr_u (local.get $q) (i32.const 28)))
                  (local.get $q)))
              (local.set $codes (i32.add (local.get $codes) (i32.const 2)))
              (local.set $k (i32.add (local.get $k) (i32.const 16)))))
          (local.set $src (i32.add (local.get $src) (local.get $bytes)))
          (local.set $r (i32.add (local.get $r) (i32.const 1)))
          (br_if $row (i32.lt_u (local.get $r) (local.get $rows)))))
      (else
        (loop $row
          (local.set $k (i32.const 0))
          (block $tail
            (br_if $tail (i32.gt_u (i32.const 32) (local.get $bytes)))
            (loop $column
              (local.set $va (v128.load (i32.add (local.get $src) (local.get $k))))
              (local.set $vb (v128.load offset=16 (i32.add (local.get $src) (local.get $k))))
              (local.set $ta (f32x4.add (f32x4.mul (f32x4.sub (local.get $va) (v128.load offset=1146880 (local.get $k))) (v128.load offset=1277952 (local.get $k))) (v128.const f32x4 0.5 0.5 0.5 0.5)))
              (local.set $tb (f32x4.add (f32x4.mul (f32x4.sub (local.get $vb) (v128.load offset=1146896 (local.get $k))) (v128.load offset=1277968 (local.get $k))) (v128.const f32x4 0.5 0.5 0.5 0.5)))
              (local.set $fa (f32x4.floor (local.get $ta)))
              (local.set $fb (f32x4.floor (local.get $tb)))
              (if (v128.any_true
                    (v128.or
                      (f32x4.gt (f32x4.abs (f32x4.sub (f32x4.sub (local.get $ta) (local.get $fa)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
                        (v128.const f32x4 0x1.fcp-2 0x1.fcp-2 0x1.fcp-2 0x1.fcp-2))
                      (f32x4.gt (f32x4.abs (f32x4.sub (f32x4.sub (local.get $tb) (local.get $fb)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
                        (v128.const f32x4 0x1.fcp-2 0x1.fcp-2 0x1.fcp-2 0x1.fcp-2))))
                (then
                  (local.set $qa
                    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                      (i32x4.trunc_sat_f64x2_s_zero
                        (f64x2.add
                          (f64x2.mul (f64x2.sub (f64x2.promote_low_f32x4 (local.get $va)) (v128.load offset=622592 (i32.shl (local.get $k) (i32.const 1)))) (v128.load offset=884736 (i32.shl (local.get $k) (i32.const 1))))
                          (v128.const f64x2 0.5 0.5)))
                      (i32x4.trunc_sat_f64x2_s_zero
                        (f64x2.add
                          (f64x2.mul
                            (f64x2.sub
                              (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $va) (local.get $va)))
                              (v128.load offset=622608 (i32.shl (local.get $k) (i32.const 1))))
                            (v128.load offset=884752 (i32.shl (local.get $k) (i32.const 1))))
                          (v128.const f64x2 0.5 0.5)))))
                  (local.set $qb
                    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                      (i32x4.trunc_sat_f64x2_s_zero
                        (f64x2.add
                          (f64x2.mul (f64x2.sub (f64x2.promote_low_f32x4 (local.get $vb)) (v128.load offset=622624 (i32.shl (local.get $k) (i32.const 1)))) (v128.load offset=884768 (i32.shl (local.get $k) (i32.const 1))))
                          (v128.const f64x2 0.5 0.5)))
                      (i32x4.trunc_sat_f64x2_s_zero
                        (f64x2.add
                          (f64x2.mul
                            (f64x2.sub
                              (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $vb) (local.get $vb)))
                              (v128.load offset=622640 (i32.shl (local.get $k) (i32.const 1))))
                            (v128.load offset=884784 (i32.shl (local.get $k) (i32.const 1))))
                          (v128.const f64x2 0.5 0.5))))))
                (else
                  (local.set $qa (v128.and (f32x4.add (local.get $fa) (v128.const f32x4 0x1p23 0x1p23 0x1p23 0x1p23)) (v128.const i32x4 0x7fffff 0x7fffff 0x7fffff 0x7fffff)))
                  (local.set $qb (v128.and (f32x4.add (local.get $fb) (v128.const f32x4 0x1p23 0x1p23 0x1p23 0x1p23)) (v128.const i32x4 0x7fffff 0x7fffff 0x7fffff 0x7fffff)))))
              (local.set $x (i16x8.narrow_i32x4_u (local.get $qa) (local.get $qb)))
              (v128.store64_lane 0 (local.get $codes) (i8x16.narrow_i16x8_u (local.get $x) (local.get $x)))
              (local.set $codes (i32.add (local.get $codes) (i32.const 8)))
              (local.set $k (i32.add (local.get $k) (i32.const 32)))
              (br_if $column (i32.le_u (i32.add (local.get $k) (i32.const 32)) (local.get $bytes)))))
          (if (i32.lt_u (local.get $k) (local.get $bytes))
            (then
              (local.set $v (v128.load (i32.add (local.get $src) (local.get $k))))
              (local.set $t
                (f32x4.add (f32x4.mul (f32x4.sub (local.get $v) (v128.load offset=1146880 (local.get $k))) (v128.load offset=1277952 (local.get $k))) (v128.const f32x4 0.5 0.5 0.5 0.5)))
              (local.set $f (f32x4.floor (local.get $t)))
              (local.set $d (f32x4.sub (local.get $t) (local.get $f)))
              (if (v128.any_true
                    (v128.or (f32x4.lt (local.get $d) (v128.const f32x4 0x1p-8 0x1p-8 0x1p-8 0x1p-8))
                      (f32x4.gt (local.get $d) (v128.const f32x4 0x1.fep-1 0x1.fep-1 0x1.fep-1 0x1.fep-1))))
                (then
                  (local.set $q
                    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                      (i32x4.trunc_sat_f64x2_s_zero
                        (f64x2.add
                          (f64x2.mul (f64x2.sub (f64x2.promote_low_f32x4 (local.get $v)) (v128.load offset=622592 (i32.shl (local.get $k) (i32.const 1)))) (v128.load offset=884736 (i32.shl (local.get $k) (i32.const 1))))
                          (v128.const f64x2 0.5 0.5)))
                      (i32x4.trunc_sat_f64x2_s_zero
                        (f64x2.add
                          (f64x2.mul
                            (f64x2.sub
                              (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))
                              (v128.load offset=622608 (i32.shl (local.get $k) (i32.const 1))))
                            (v128.load offset=884752 (i32.shl (local.get $k) (i32.const 1))))
                          (v128.const f64x2 0.5 0.5))))))
                (else
                  (local.set $q
                    (v128.and (f32x4.add (local.get $f) (v128.const f32x4 0x1p23 0x1p23 0x1p23 0x1p23)) (v128.const i32x4 0x7fffff 0x7fffff 0x7fffff 0x7fffff)))))
              (local.set $q (i32x4.min_s (local.get $q) (local.get $ll)))
              (v128.store32_lane 0 (local.get $codes)
                (i8x16.shuffle 0 4 8 12 0 0 0 0 0 0 0 0 0 0 0 0 (local.get $q) (local.get $q)))
              (local.set $codes (i32.add (local.get $codes) (i32.const 4)))
              (local.set $k (i32.add (local.get $k) (i32.const 16)))))
          (local.set $src (i32.add (local.get $src) (local.get $bytes)))
          (local.set $r (i32.add (local.get $r) (i32.const 1)))
          (br_if $row (i32.lt_u (local.get $r) (local.get $rows)))))))

  ;; $groups consecutive column groups of $rowsPer rows each (floats), quantized in turn to
  ;; codes, scale and zero. Returns -1, or the failing group.
  (func (export "colsQuantize")
    (param $groups i32) (param $rowsPer i32) (param $inner i32) (param $levels i32) (param $packed i32)
    (result i32)
    (local $g i32) (local $elements i32) (local $src i32) (local $codes i32)
    (local.set $elements (i32.mul (local.get $rowsPer) (local.get $inner)))
    (local.set $src (i32.const 0))
    (local.set $codes (i32.const 131072))
    (loop $group
      (if (call $colsRange (local.get $src) (local.get $rowsPer) (local.get $inner) (i32.const 1))
        (then (return (local.get $g))))
      (if (i32.ge_s
            (call $parameters (local.get $inner) (local.get $levels)
              (i32.mul (local.get $g) (local.get $inner)))
            (i32.const 0))
        (then (return (local.get $g))))
      (call $colsEncode (local.get $src) (local.get $rowsPer) (local.get $inner) (local.get $levels)
        (local.get $packed) (local.get $codes))
      (local.set $src (i32.add (local.get $src) (i32.shl (local.get $elements) (i32.const 2))))
      (local.set $codes
        (i32.add (local.get $codes) (i32.shr_u (local.get $elements) (local.get $packed))))
      (local.set $g (i32.add (local.get $g) (i32.const 1)))
      (br_if $group (i32.lt_u (local.get $g) (local.get $groups))))
    (i32.const -1))

  ;; Inverse of runsQuantize: codes, scale and zero of $rows rows of $length elements to floats.
  (func (export "runsDequantize")
    (param $rows i32) (param $length i32) (param $group i32) (param $packed i32)
    (local $r i32) (local $start i32) (local $n i32) (local $end i32) (local $s v128) (local $z v128)
    (local $x v128) (local $codes i32) (local $out i32) (local $bits i32)
    (local.set $codes (i32.const 131072))
    (local.set $out (i32.const 0))
    ;; float32 scales and zero points of every group of the block first.
    (call $colsWiden
      (i32.mul (local.get $rows)
        (i32.div_u (i32.sub (i32.add (local.get $length) (local.get $group)) (i32.const 1)) (local.get $group)))
      (i32.const 0))
    (loop $row
      (local.set $start (i32.const 0))
      (loop $groups
        (local.set $n (i32.sub (local.get $length) (local.get $start)))
        (if (i32.gt_u (local.get $n) (local.get $group)) (then (local.set $n (local.get $group))))
        (local.set $s (v128.load32_splat offset=360448 (i32.shl (local.get $bits) (i32.const 1))))
        (local.set $z (v128.load32_splat offset=491520 (i32.shl (local.get $bits) (i32.const 1))))
        (local.set $end (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2))))
        (if (local.get $packed)
          (then
            (block $tail
              (br_if $tail (i32.gt_u (i32.add (local.get $out) (i32.const 32)) (local.get $end)))
              (loop $decode
                (local.set $x (v128.load32_zero (local.get $codes)))
                (local.set $x
                  (i16x8.extend_low_i8x16_u
                    (i8x16.shuffle 0 16 1 17 2 18 3 19 0 0 0 0 0 0 0 0
                      (v128.and (local.get $x) (v128.const i32x4 0x0f0f0f0f 0x0f0f0f0f 0x0f0f0f0f 0x0f0f0f0f))
                      (v128.and (i16x8.shr_u (local.get $x) (i32.const 4)) (v128.const i32x4 0x0f0f0f0f 0x0f0f0f0f 0x0f0f0f0f 0x0f0f0f0f)))))
                (local.set $codes (i32.add (local.get $codes) (i32.const 4)))
                (v128.store (local.get $out)
                  (f32x4.add (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_u (local.get $x))) (local.get $s)) (local.get $z)))
                (v128.store offset=16 (local.get $out)
                  (f32x4.add (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_u (local.get $x))) (local.get $s)) (local.get $z)))
                (local.set $out (i32.add (local.get $out) (i32.const 32)))
                (br_if $decode (i32.le_u (i32.add (local.get $out) (i32.const 32)) (local.get $end)))))
            (if (i32.lt_u (local.get $out) (local.get $end))
              (then
                (v128.store (local.get $out)
                  (f32x4.add (f32x4.mul (f32x4.convert_i32x4_s
                      (i32x4.extend_low_i16x8_u
                        (i16x8.extend_low_i8x16_u
                          (i8x16.shuffle 0 16 1 17 0 0 0 0 0 0 0 0 0 0 0 0
                            (v128.and (local.tee $x (v128.load16_splat (local.get $codes))) (v128.const i32x4 0x0f0f0f0f 0x0f0f0f0f 0x0f0f0f0f 0x0f0f0f0f))
                            (v128.and (i16x8.shr_u (local.get $x) (i32.const 4)) (v128.const i32x4 0x0f0f0f0f 0x0f0f0f0f 0x0f0f0f0f 0x0f0f0f0f)))))) (local.get $s)) (local.get $z)))
                (local.set $codes (i32.add (local.get $codes) (i32.const 2)))
                (local.set $out (i32.add (local.get $out) (i32.const 16))))))
          (else
            (block $tail
              (br_if $tail (i32.gt_u (i32.add (local.get $out) (i32.const 32)) (local.get $end)))
              (loop $decode
                (local.set $x (i16x8.extend_low_i8x16_u (v128.load64_zero (local.get $codes))))
                (local.set $codes (i32.add (local.get $codes) (i32.const 8)))
                (v128.store (local.get $out)
                  (f32x4.add (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_u (local.get $x))) (local.get $s)) (local.get $z)))
                (v128.store offset=16 (local.get $out)
                  (f32x4.add (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_u (local.get $x))) (local.get $s)) (local.get $z)))
                (local.set $out (i32.add (local.get $out) (i32.const 32)))
                (br_if $decode (i32.le_u (i32.add (local.get $out) (i32.const 32)) (local.get $end)))))
            (if (i32.lt_u (local.get $out) (local.get $end))
              (then
                (v128.store (local.get $out)
                  (f32x4.add (f32x4.mul (f32x4.convert_i32x4_s
                      (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u (v128.load32_zero (local.get $codes))))) (local.get $s)) (local.get $z)))
                (local.set $codes (i32.add (local.get $codes) (i32.const 4)))
                (local.set $out (i32.add (local.get $out) (i32.const 16)))))))
        (local.set $bits (i32.add (local.get $bits) (i32.const 2)))
        (local.set $start (i32.add (local.get $start) (local.get $n)))
        (br_if $groups (i32.lt_u (local.get $start) (local.get $length))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br_if $row (i32.lt_u (local.get $r) (local.get $rows)))))

  ;; float32 scales (to lo) and zero points (to hi) of $inner column groups from the bits in
  ;; scale and zero at group $bitsAt.
  (func $colsWiden (export "colsWiden") (param $inner i32) (param $bitsAt i32)
    (local $k i32) (local $at i32)
    (loop $four
      (local.set $at (i32.shl (i32.add (local.get $bitsAt) (local.get $k)) (i32.const 1)))
      (v128.store offset=360448 (i32.shl (local.get $k) (i32.const 2))
        (v128.or
        (f32x4.mul (i32x4.shl (v128.and (i32x4.extend_low_i16x8_u (v128.load64_zero offset=163840 (local.get $at))) (v128.const i32x4 0x7fff 0x7fff 0x7fff 0x7fff)) (i32.const 13)) (v128.const f32x4 0x1p112 0x1p112 0x1p112 0x1p112))
        (i32x4.shl (v128.and (i32x4.extend_low_i16x8_u (v128.load64_zero offset=163840 (local.get $at))) (v128.const i32x4 0x8000 0x8000 0x8000 0x8000)) (i32.const 16))))
      (v128.store offset=491520 (i32.shl (local.get $k) (i32.const 2))
        (v128.or
        (f32x4.mul (i32x4.shl (v128.and (i32x4.extend_low_i16x8_u (v128.load64_zero offset=229376 (local.get $at))) (v128.const i32x4 0x7fff 0x7fff 0x7fff 0x7fff)) (i32.const 13)) (v128.const f32x4 0x1p112 0x1p112 0x1p112 0x1p112))
        (i32x4.shl (v128.and (i32x4.extend_low_i16x8_u (v128.load64_zero offset=229376 (local.get $at))) (v128.const i32x4 0x8000 0x8000 0x8000 0x8000)) (i32.const 16))))
      (local.set $k (i32.add (local.get $k) (i32.const 4)))
      (br_if $four (i32.lt_u (local.get $k) (local.get $inner)))))

  ;; $rows rows of $inner codes at $codes against colsWiden's, float32 to $out.
  (func $colsDecode (export "colsDecode")
    (param $codes i32) (param $rows i32) (param $inner i32) (param $packed i32) (param $out i32)
    (local $k i32) (local $r i32) (local $bytes i32) (local $x v128)
    (local.set $bytes (i32.shl (local.get $inner) (i32.const 2)))
    (if (local.get $packed)
      (then
        (loop $row
          (local.set $k (i32.const 0))
          (block $tail
            (br_if $tail (i32.gt_u (i32.const 32) (local.get $bytes)))
            (loop $column
              (local.set $x (v128.load32_zero (local.get $codes)))
              (local.set $x
                (i16x8.extend_low_i8x16_u
                  (i8x16.shuffle 0 16 1 17 2 18 3 19 0 0 0 0 0 0 0 0
                    (v128.and (local.get $x) (v128.const i32x4 0x0f0f0f0f 0x0f0f0f0f 0x0f0f0f0f 0x0f0f0f0f))
                    (v128.and (i16x8.shr_u (local.get $x) (i32.const 4)) (v128.const i32x4 0x0f0f0f0f 0x0f0f0f0f 0x0f0f0f0f 0x0f0f0f0f)))))
              (local.set $codes (i32.add (local.get $codes) (i32.const 4)))
              (v128.store (i32.add (local.get $out) (local.get $k))
                (f32x4.add (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_u (local.get $x))) (v128.load offset=360448 (local.get $k))) (v128.load offset=491520 (local.get $k))))
              (v128.store offset=16 (i32.add (local.get $out) (local.get $k))
                (f32x4.add (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_u (local.get $x))) (v128.load offset=360464 (local.get $k))) (v128.load offset=491536 (local.get $k))))
              (local.set $k (i32.add (local.get $k) (i32.const 32)))
              (br_if $column (i32.le_u (i32.add (local.get $k) (i32.const 32)) (local.get $bytes)))))
          (if (i32.lt_u (local.get $k) (local.get $bytes))
            (then
              (v128.store (i32.add (local.get $out) (local.get $k))
                (f32x4.add (f32x4.mul (f32x4.convert_i32x4_s
                    (i32x4.extend_low_i16x8_u
                      (i16x8.extend_low_i8x16_u
                        (i8x16.shuffle 0 16 1 17 0 0 0 0 0 0 0 0 0 0 0 0
                          (v128.and (local.tee $x (v128.load16_splat (local.get $codes))) (v128.const i32x4 0x0f0f0f0f 0x0f0f0f0f 0x0f0f0f0f 0x0f0f0f0f))
                          (v128.and (i16x8.shr_u (local.get $x) (i32.const 4)) (v128.const i32x4 0x0f0f0f0f 0x0f0f0f0f 0x0f0f0f0f 0x0f0f0f0f)))))) (v128.load offset=360448 (local.get $k))) (v128.load offset=491520 (local.get $k))))
              (local.set $codes (i32.add (local.get $codes) (i32.const 2)))))
          (local.set $out (i32.add (local.get $out) (local.get $bytes)))
          (local.set $r (i32.add (local.get $r) (i32.const 1)))
          (br_if $row (i32.lt_u (local.get $r) (local.get $rows)))))
      (else
        (loop $row
          (local.set $k (i32.const 0))
          (block $tail
            (br_if $tail (i32.gt_u (i32.const 32) (local.get $bytes)))
            (loop $column
              (local.set $x (i16x8.extend_low_i8x16_u (v128.load64_zero (local.get $codes))))
              (local.set $codes (i32.add (local.get $codes) (i32.const 8)))
              (v128.store (i32.add (local.get $out) (local.get $k))
                (f32x4.add (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_u (local.get $x))) (v128.load offset=360448 (local.get $k))) (v128.load offset=491520 (local.get $k))))
              (v128.store offset=16 (i32.add (local.get $out) (local.get $k))
                (f32x4.add (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_u (local.get $x))) (v128.load offset=360464 (local.get $k))) (v128.load offset=491536 (local.get $k))))
              (local.set $k (i32.add (local.get $k) (i32.const 32)))
              (br_if $column (i32.le_u (i32.add (local.get $k) (i32.const 32)) (local.get $bytes)))))
          (if (i32.lt_u (local.get $k) (local.get $bytes))
            (then
              (v128.store (i32.add (local.get $out) (local.get $k))
                (f32x4.add (f32x4.mul (f32x4.convert_i32x4_s
                    (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u (v128.load32_zero (local.get $codes))))) (v128.load offset=360448 (local.get $k))) (v128.load offset=491520 (local.get $k))))
              (local.set $codes (i32.add (local.get $codes) (i32.const 4)))))
          (local.set $out (i32.add (local.get $out) (local.get $bytes)))
          (local.set $r (i32.add (local.get $r) (i32.const 1)))
          (br_if $row (i32.lt_u (local.get $r) (local.get $rows)))))))

  ;; $groups consecutive column groups of $rowsPer rows each, dequantized in turn from
  ;; codes, scale and zero to floats.
  (func (export "colsDequantize")
    (param $groups i32) (param $rowsPer i32) (param $inner i32) (param $packed i32)
    (local $g i32) (local $elements i32) (local $codes i32) (local $out i32)
    (local.set $elements (i32.mul (local.get $rowsPer) (local.get $inner)))
    (local.set $codes (i32.const 131072))
    (local.set $out (i32.const 0))
    (loop $group
      (call $colsWiden (local.get $inner) (i32.mul (local.get $g) (local.get $inner)))
      (call $colsDecode (local.get $codes) (local.get $rowsPer) (local.get $inner) (local.get $packed)
        (local.get $out))
      (local.set $codes (i32.add (local.get $codes) (i32.shr_u (local.get $elements) (local.get $packed))))
      (local.set $out (i32.add (local.get $out) (i32.shl (local.get $elements) (i32.const 2))))
      (local.set $g (i32.add (local.get $g) (i32.const 1)))
      (br_if $group (i32.lt_u (local.get $g) (local.get $groups))))))
