// Catch2's main for the store contract suite.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
