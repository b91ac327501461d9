#include <catch2/catch.hpp>

#include "api/query.hpp"

using vgpu::api::Query;

TEST_CASE("query strings decode and keep repeated keys", "[api]") {
  Query q;
  REQUIRE(Query::parse("member_of=in%3Aa%2Cb&member_of=c&name=a+b&empty=&flag", q));
  CHECK(q.get_all("member_of") == std::vector<std::string>{"in:a,b", "c"});
  CHECK(*q.get("member_of") == "c");  // the last value, as webob
  CHECK(*q.get("name") == "a b");
  CHECK(q.get("empty")->empty());
  CHECK(q.has("flag"));
  CHECK_FALSE(q.has("missing"));
  CHECK_FALSE(Query::parse("a=%zz", q));
  CHECK_FALSE(Query::parse("a=%ff", q));  // not UTF-8
}
