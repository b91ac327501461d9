// Configuration: defaults, precedence (file < environment < flags), and errors that name the
// option and where the bad value came from. Pure code, so the sources are built from text.
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <catch2/catch.hpp>

#include "service/config/flags.hpp"
#include "service/config/ini.hpp"
#include "service/config/listen_address.hpp"
#include "service/config/load.hpp"
#include "service/config/resolve.hpp"

using namespace vgpu::config;
using Catch::Matchers::Contains;

namespace {

// A laptop: not root, HOME set, 8 hardware threads.
Sources laptop() {
  Sources s;
  s.environment = {{"HOME", "/home/ada"}, {"PATH", "/usr/bin"}};
  s.hardware_threads = 8;
  s.cwd = "/home/ada/src";
  return s;
}

std::vector<Setting> from_file(const std::string& text, const std::string& path = "test.conf") {
  return settings_from_ini(parse_ini(text, path), path);
}

CommandLine flags(std::vector<std::string_view> args) { return parse_flags(args); }

std::string error_of(const Sources& s) {
  try {
    resolve(s);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

SCENARIO("every option has a default that works on a laptop", "[config]") {
  GIVEN("no file, no variables, no flags") {
    const Config c = resolve(laptop());
    CHECK(c.listen.host == "127.0.0.1");
    CHECK(c.listen.port == 8778);
    CHECK(c.data_dir == "/home/ada/.local/share/vgpu-placement");
    CHECK(c.database == "sqlite:///home/ada/.local/share/vgpu-placement/placement.db");
    CHECK(c.auth == "noauth2");
    CHECK(c.workers == 16);  // twice the 8 hardware threads
    CHECK(c.max_body_bytes == 1024 * 1024);
    CHECK(c.max_header_bytes == 16 * 1024);
    CHECK(c.read_timeout_seconds == 30);
    CHECK(c.idle_timeout_seconds == 60);
    CHECK_FALSE(c.migrate_on_start);
    CHECK(c.log_level == LogLevel::kInfo);
  }
  GIVEN("XDG_DATA_HOME is set") {
    auto s = laptop();
    s.environment["XDG_DATA_HOME"] = "/data/ada";
    CHECK(resolve(s).data_dir == "/data/ada/vgpu-placement");
  }
  GIVEN("the service runs as root") {
    auto s = laptop();
    s.is_root = true;
    CHECK(resolve(s).data_dir == "/var/lib/vgpu-placement");
    CHECK(resolve(s).database == "sqlite:///var/lib/vgpu-placement/placement.db");
  }
  GIVEN("the machine reports no hardware threads, or few") {
    auto s = laptop();
    s.hardware_threads = 0;
    CHECK(resolve(s).workers == 8);
    s.hardware_threads = 2;
    CHECK(resolve(s).workers == 8);
  }
  GIVEN("only data_dir is set, relative to the working directory") {
    auto s = laptop();
    s.flags = flags({"--data-dir", "state/"}).settings;
    const Config c = resolve(s);
    CHECK(c.data_dir == "/home/ada/src/state");
    CHECK(c.database == "sqlite:///home/ada/src/state/placement.db");  // follows data_dir
  }
}

SCENARIO("a value from the file is overridden by the environment, which flags override",
         "[config]") {
  auto s = laptop();
  s.file = from_file("[DEFAULT]\nlisten = 10.0.0.1:1000\nworkers = 3\n");
  s.environment["VGPU_PLACEMENT_LISTEN"] = "10.0.0.2:2000";
  s.flags = flags({"--listen", "10.0.0.3:3000"}).settings;

  CHECK(resolve(s).listen.to_string() == "10.0.0.3:3000");
  s.flags.clear();
  CHECK(resolve(s).listen.to_string() == "10.0.0.2:2000");
  s.environment.erase("VGPU_PLACEMENT_LISTEN");
  CHECK(resolve(s).listen.to_string() == "10.0.0.1:1000");
  CHECK(resolve(s).workers == 3);  // untouched by the other sources

  GIVEN("an empty environment variable") {
    s.environment["VGPU_PLACEMENT_LISTEN"] = "";
    THEN("it counts as unset") { CHECK(resolve(s).listen.to_string() == "10.0.0.1:1000"); }
  }
  GIVEN("the same flag twice") {
    s.flags = flags({"--workers=5", "--workers", "6"}).settings;
    THEN("the last one wins") { CHECK(resolve(s).workers == 6); }
  }
}

SCENARIO("every option can be set from each source under its contract name", "[config]") {
  auto s = laptop();
  s.file = from_file(
      "# comment\n"
      "; another\n"
      "[DEFAULT]\n"
      "listen = [::1]:9000\n"
      "database = postgresql://placement:s3cret#x@db:5432/placement\n"
      "data_dir = /srv/vgpu\n"
      "auth = noauth2\n"
      "workers = 2\n"
      "max_body_bytes = 2048\n"
      "max_header_bytes = 4096\n"
      "read_timeout_seconds = 7\n"
      "idle_timeout_seconds = 9\n"
      "migrate_on_start = yes\n"
      "log_level = DEBUG\n");
  const Config c = resolve(s);
  CHECK(c.listen.host == "::1");
  CHECK(c.listen.port == 9000);
  CHECK(c.database == "postgresql://placement:s3cret#x@db:5432/placement");  // '#' kept
  CHECK(c.data_dir == "/srv/vgpu");
  CHECK(c.workers == 2);
  CHECK(c.max_body_bytes == 2048);
  CHECK(c.max_header_bytes == 4096);
  CHECK(c.read_timeout_seconds == 7);
  CHECK(c.idle_timeout_seconds == 9);
  CHECK(c.migrate_on_start);
  CHECK(c.log_level == LogLevel::kDebug);

  auto e = laptop();
  e.environment["VGPU_PLACEMENT_DATA_DIR"] = "/env/dir";
  e.environment["VGPU_PLACEMENT_MIGRATE_ON_START"] = "true";
  e.environment["VGPU_PLACEMENT_MAX_BODY_BYTES"] = "4096";
  CHECK(resolve(e).data_dir == "/env/dir");
  CHECK(resolve(e).migrate_on_start);
  CHECK(resolve(e).max_body_bytes == 4096);

  auto f = laptop();
  f.flags = flags({"--migrate-on-start", "--idle-timeout-seconds=120", "--log-level", "error",
                   "--database", "sqlite://:memory:"})
                .settings;
  CHECK(resolve(f).migrate_on_start);
  CHECK(resolve(f).idle_timeout_seconds == 120);
  CHECK(resolve(f).log_level == LogLevel::kError);
  CHECK(resolve(f).database == "sqlite://:memory:");
  f.flags = flags({"--migrate-on-start=false"}).settings;
  CHECK_FALSE(resolve(f).migrate_on_start);
}

SCENARIO("bad values are refused with the option and its source named", "[config]") {
  struct Case {
    const char* where;
    Sources sources;
    std::vector<const char*> expected;
  };
  auto with_env = [](const char* name, const char* value) {
    auto s = laptop();
    s.environment[name] = value;
    return s;
  };
  auto with_flags = [](std::vector<std::string_view> args) {
    auto s = laptop();
    s.flags = parse_flags(args).settings;
    return s;
  };
  auto with_file = [](const std::string& text) {
    auto s = laptop();
    s.file = from_file(text, "/etc/vgpu.conf");
    return s;
  };
  const std::vector<Case> cases = {
      {"non-numeric in file", with_file("workers = abc\n"),
       {"'workers'", "file /etc/vgpu.conf, line 1", "whole number", "abc"}},
      {"out of range in env", with_env("VGPU_PLACEMENT_WORKERS", "0"),
       {"'workers'", "environment variable VGPU_PLACEMENT_WORKERS", "between 1 and 1024"}},
      {"negative via flag", with_flags({"--read-timeout-seconds", "-1"}),
       {"'read_timeout_seconds'", "flag --read-timeout-seconds"}},
      {"too small a body limit", with_flags({"--max-body-bytes", "10"}),
       {"'max_body_bytes'", "between 1024"}},
      {"listen without port", with_flags({"--listen", "localhost"}),
       {"'listen'", "flag --listen", "HOST:PORT"}},
      {"listen with a bad port", with_env("VGPU_PLACEMENT_LISTEN", "127.0.0.1:70000"),
       {"'listen'", "VGPU_PLACEMENT_LISTEN", "65535"}},
      {"IPv6 without brackets", with_flags({"--listen", "::1:8778"}), {"'listen'", "brackets"}},
      {"unsupported auth", with_file("\n\nauth = keystone\n"),
       {"'auth'", "line 3", "noauth2", "keystone"}},
      {"bad boolean", with_env("VGPU_PLACEMENT_MIGRATE_ON_START", "maybe"),
       {"'migrate_on_start'", "true or false"}},
      {"bad log level", with_flags({"--log-level=loud"}), {"'log_level'", "loud"}},
  };
  for (const auto& c : cases) {
    SECTION(c.where) {
      const std::string message = error_of(c.sources);
      for (const char* part : c.expected) CHECK_THAT(message, Contains(part));
    }
  }
}

SCENARIO("the configuration file layout is checked", "[config]") {
  CHECK_THROWS_WITH(from_file("[DEFAULT]\nlisten = 1.2.3.4:5\nlistn = x\n"),
                    Contains("unknown option 'listn'") && Contains("line 3"));
  CHECK_THROWS_WITH(from_file("[placement]\nlisten = 1.2.3.4:5\n"),
                    Contains("[placement]") && Contains("[DEFAULT]"));
  CHECK_THROWS_WITH(from_file("workers = 1\nworkers = 2\n"),
                    Contains("'workers' is set twice") && Contains("line 1"));
  CHECK_THROWS_WITH(from_file("[DEFAULT]\njust some words\n"),
                    Contains("test.conf, line 2") && Contains("key = value"));
  CHECK_THROWS_WITH(from_file("[DEFAULT\n"), Contains("malformed section header"));
  // Before any section header is DEFAULT; whitespace is trimmed; dashes are accepted in keys.
  const auto settings = from_file("  workers =  4  \n[DEFAULT]\nlog-level = debug\r\n");
  REQUIRE(settings.size() == 2);
  CHECK(settings[0].key == "workers");
  CHECK(settings[0].value == "4");
  CHECK(settings[1].key == "log_level");
  CHECK(settings[1].value == "debug");
}

SCENARIO("command-line flags are parsed strictly", "[config]") {
  const auto c = flags({"--config", "/etc/x.conf", "--listen=0.0.0.0:0", "--help"});
  CHECK(c.config_path == "/etc/x.conf");
  CHECK(c.help);
  REQUIRE(c.settings.size() == 1);
  CHECK(c.settings[0].origin == "flag --listen");
  CHECK_THROWS_WITH(flags({"--bogus", "1"}), Contains("unknown flag '--bogus'"));
  CHECK_THROWS_WITH(flags({"--data_dir", "/x"}), Contains("unknown flag '--data_dir'"));
  CHECK_THROWS_WITH(flags({"--workers"}), Contains("'--workers' needs a value"));
  CHECK_THROWS_WITH(flags({"stray"}), Contains("unexpected argument 'stray'"));
}

SCENARIO("listen addresses", "[config]") {
  struct Case {
    const char* text;
    const char* host;
    int port;
  };
  for (const auto& c : std::vector<Case>{{"127.0.0.1:8778", "127.0.0.1", 8778},
                                         {"0.0.0.0:0", "0.0.0.0", 0},
                                         {"localhost:80", "localhost", 80},
                                         {"[::1]:8778", "::1", 8778},
                                         {"[::]:65535", "::", 65535}}) {
    const auto a = parse_listen_address(c.text);
    CHECK(a.host == c.host);
    CHECK(a.port == c.port);
    CHECK(a.to_string() == c.text);
  }
  for (const char* bad : {"", "host", ":80", "host:", "host:x", "[::1]", "[::1]8778", "[]:80",
                          "[1.2.3.4]:80", "a b:80", "::1:80"}) {
    CHECK_THROWS_AS(parse_listen_address(bad), std::invalid_argument);
  }
}

SCENARIO("load_config reads the file named by --config", "[config]") {
  const std::string path = "vgpu_config_test_" + std::to_string(::getpid()) + ".conf";
  {
    std::ofstream out(path);
    out << "[DEFAULT]\nworkers = 3\nlisten = 127.0.0.1:0\n";
  }
  CommandLine command_line = flags({"--config", path, "--workers", "5"});
  const Config c = load_config(command_line);
  CHECK(c.listen.port == 0);
  CHECK(c.workers == 5);  // the flag beats the file
  std::remove(path.c_str());

  command_line.config_path = "/nonexistent/vgpu.conf";
  CHECK_THROWS_WITH(load_config(command_line),
                    Contains("cannot read configuration file /nonexistent/vgpu.conf"));
}
