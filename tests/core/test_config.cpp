// Unit tests of the config file and of where the database is found.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>

#include "core/config.hpp"
#include "support.hpp"

using namespace setevoe;
using namespace setevoe::core;
using test::kind_of;

namespace {
// Sets environment variables for the length of a test and restores them.
class Env {
 public:
  void set(const char* name, const std::string& value) {
    remember(name);
    setenv(name, value.c_str(), 1);
  }
  void unset(const char* name) {
    remember(name);
    unsetenv(name);
  }
  ~Env() {
    for (const auto& [name, value] : m_saved)
      if (value)
        setenv(name.c_str(), value->c_str(), 1);
      else
        unsetenv(name.c_str());
  }

 private:
  void remember(const char* name) {
    for (const auto& s : m_saved)
      if (s.first == name) return;
    const char* v = std::getenv(name);
    m_saved.emplace_back(name, v ? std::optional<std::string>(v) : std::nullopt);
  }
  std::vector<std::pair<std::string, std::optional<std::string>>> m_saved;
};
}  // namespace

TEST_CASE("the database is found by --db, then SETEVOE_DB, then the config file, then the XDG data folder") {
  test::TempDir dir;
  Env env;
  env.set("HOME", dir.path().string());
  env.unset("SETEVOE_CONFIG");
  env.unset("SETEVOE_DB");
  env.set("XDG_CONFIG_HOME", dir.file("config"));
  env.set("XDG_DATA_HOME", dir.file("data"));
  std::string source;
  CHECK(resolve_db_path(std::nullopt, &source) == dir.file("data") + "/setevoe/setevoe.db");
  CHECK(source == "default");
  std::filesystem::create_directories(dir.file("config/setevoe"));
  std::ofstream(dir.file("config/setevoe/config.toml")) << "# the school\ndb = \"/srv/school.db\"\n";
  CHECK(resolve_db_path(std::nullopt, &source) == "/srv/school.db");
  CHECK(source == "config");
  env.set("SETEVOE_DB", "/env/school.db");
  CHECK(resolve_db_path(std::nullopt, &source) == "/env/school.db");
  CHECK(source == "SETEVOE_DB");
  CHECK(resolve_db_path(std::string("/flag.db"), &source) == "/flag.db");
  CHECK(source == "--db");
  CHECK(kind_of([] { resolve_db_path(std::string(""), nullptr); }) == ErrorKind::usage);
  env.unset("XDG_DATA_HOME");
  env.unset("SETEVOE_DB");
  std::filesystem::remove(dir.file("config/setevoe/config.toml"));
  CHECK(resolve_db_path(std::nullopt, &source) == dir.path().string() + "/.local/share/setevoe/setevoe.db");
}

TEST_CASE("a bad config file is an error naming the file and what is wrong") {
  test::TempDir dir;
  Env env;
  auto path = dir.file("config.toml");
  env.set("SETEVOE_CONFIG", path);
  CHECK(kind_of([] { load_config(); }) == ErrorKind::not_found);
  std::ofstream(path) << "db = [1, 2]\n";
  CHECK(kind_of([] { load_config(); }) == ErrorKind::bad_data);
  std::ofstream(path) << "db = \"x\"\ncolour = \"red\"\n";
  auto msg = test::message_of([] { load_config(); });
  CHECK(msg.find("colour") != std::string::npos);
  CHECK(msg.find(path) != std::string::npos);
  std::ofstream(path) << "db = \"unterminated\n";
  msg = test::message_of([] { load_config(); });
  CHECK(msg.find("line 1") != std::string::npos);
  std::ofstream(path) << "db = \"/srv/school.db\"\n";
  auto c = load_config();
  CHECK(c.found);
  CHECK(c.db == std::optional<std::string>("/srv/school.db"));
}
