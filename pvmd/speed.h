// speed.h - how fast this host is, for placing tasks: PVM's relative speed
// (1000 is a typical host; a host twice as fast is 2000).
#pragma once

namespace pvm {

/// measureSpeed runs a short CPU benchmark (about 40 ms) and returns the relative speed.
int measureSpeed();

}  // namespace pvm
