#pragma once
// Error, Result<T> and Status live in base (hrtrack/base/status.hpp); this header is kept
// so that code including it goes on compiling.
#include "hrtrack/base/status.hpp"
