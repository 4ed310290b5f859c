#pragma once
// The languages table is public (the index and the analysis read it too).
#include "hrtrack/corpus/languages.hpp"
