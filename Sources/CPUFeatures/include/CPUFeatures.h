#ifndef GPTX_CPU_FEATURES_H
#define GPTX_CPU_FEATURES_H

/// 1 when this CPU (and its OS) can run AVX2 and FMA instructions, the ones release builds of the
/// kernels are compiled for; 0 otherwise. Always 1 on CPUs other than x86-64 (nothing to check).
int gptx_cpu_has_avx2_fma(void);

/// 1 when this CPU (and its OS) can run AVX-512 F, VL, BW, DQ and CD (Skylake-SP and later,
/// Zen 4), the set the AVX-512 matrix tile is compiled for; 0 otherwise and off x86-64.
int gptx_cpu_has_avx512(void);

#endif
