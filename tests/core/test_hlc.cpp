// Unit tests of the hybrid logical clock.
#include <catch2/catch.hpp>

#include "core/hlc.hpp"

using namespace setevoe::core;

TEST_CASE("HLC ticks follow the wall clock when it moves forward") {
  Hlc c;
  auto a = c.tick(1000);
  auto b = c.tick(2000);
  CHECK(Hlc::millis(a) == 1000);
  CHECK(Hlc::millis(b) == 2000);
  CHECK(Hlc::counter(b) == 0);
}

TEST_CASE("HLC stays monotonic when the wall clock stands still or jumps back") {
  Hlc c;
  auto a = c.tick(5000);
  auto b = c.tick(5000);
  auto d = c.tick(1000);  // the clock jumped back four seconds
  auto e = c.tick(4999);
  CHECK(a < b);
  CHECK(b < d);
  CHECK(d < e);
  CHECK(Hlc::millis(e) == 5000);
  CHECK(Hlc::counter(e) == 3);
  auto f = c.tick(6000);
  CHECK(f > e);
  CHECK(Hlc::counter(f) == 0);
}

TEST_CASE("HLC counter overflow carries into the milliseconds, never wraps") {
  Hlc c(Hlc::pack(7000, 0xFFFF));
  auto t = c.tick(7000);
  CHECK(t > Hlc::pack(7000, 0xFFFF));
  CHECK(Hlc::millis(t) == 7001);
}

TEST_CASE("HLC observes remote ticks") {
  Hlc c;
  c.tick(1000);
  c.observe(Hlc::pack(9000, 4));
  CHECK(c.tick(2000) == Hlc::pack(9000, 5));
}

TEST_CASE("version strings order by tick, then by node") {
  auto a = version_string(Hlc::pack(1000, 0), "b-node");
  auto b = version_string(Hlc::pack(1000, 1), "a-node");
  auto c = version_string(Hlc::pack(1000, 1), "b-node");
  auto big = version_string(Hlc::pack(0x7FFFFFFFFFFF, 0), "a-node");
  CHECK(a < b);
  CHECK(b < c);
  CHECK(c < big);
  CHECK(version_tick(a) == Hlc::pack(1000, 0));
  CHECK(version_tick("garbage") == 0);
  CHECK(std::string(k_seed_version) < a);
}
