// gpvm3.cpp - libgpvm3 exists so legacy link lines (-lpvm3 -lgpvm3) work; the
// group functions themselves are in libpvm3 until dynamic groups are built.
extern "C" int pvm_gpvm3_present(void) { return 1; }
