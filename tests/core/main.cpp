// Catch2's main for the unit tests of core/.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
