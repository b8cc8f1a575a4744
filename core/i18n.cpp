// Message translation: language choice and catalogue lookup (gettext).
#include "core/i18n.hpp"

#include <libintl.h>
#include <unistd.h>

#include <clocale>
#include <cstdlib>
#include <filesystem>
#include <string_view>
#include <vector>

namespace setevoe::core {
namespace {

std::string g_language = "en";

std::string first_set_locale_variable() {
  for (const char* name : {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* value = std::getenv(name);
    if (value && *value) {
      std::string v = value;
      if (std::string_view(name) == "LANGUAGE") v = v.substr(0, v.find(':'));
      if (!v.empty()) return v;
    }
  }
  return {};
}

std::filesystem::path executable_dir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path{} : exe.parent_path();
}

std::string catalogue_dir(const std::string& lang) {
  namespace fs = std::filesystem;
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv("SETEVOE_LOCALEDIR"); env && *env) candidates.emplace_back(env);
  auto exe = executable_dir();
  if (!exe.empty()) {
    candidates.push_back(exe / "locale");
    candidates.push_back(exe / ".." / "share" / "locale");
  }
  candidates.emplace_back(SETEVOE_LOCALEDIR);
  for (const auto& dir : candidates) {
    std::error_code ec;
    if (fs::exists(dir / lang / "LC_MESSAGES" / "setevoe.mo", ec)) return dir.string();
  }
  return SETEVOE_LOCALEDIR;
}

}  // namespace

const char* tr(const char* msgid) {
  return dgettext(k_text_domain, msgid);
}

const char* trc(const char* context, const char* msgid) {
  // As pgettext does: the catalogue keys a message in a context as
  // "context\004msgid".
  std::string key = std::string(context) + '\004' + msgid;
  const char* found = dgettext(k_text_domain, key.c_str());
  return found == key.c_str() ? msgid : found;
}

const std::string& message_language() {
  return g_language;
}

std::string init_messages() {
  std::string wanted = first_set_locale_variable();
  g_language = wanted.rfind("ru", 0) == 0 ? "ru" : "en";

  // Only what setevoe uses: the character set and the messages (numbers,
  // dates and sorting are setevoe's own). Loading every category of the
  // locale was a tenth of the time of a quick command.
  if (!std::setlocale(LC_CTYPE, "")) std::setlocale(LC_CTYPE, "C.UTF-8");
  if (!std::setlocale(LC_MESSAGES, "")) std::setlocale(LC_MESSAGES, "C.UTF-8");
  // gettext ignores LANGUAGE under the "C" locale, and a Russian locale may
  // not be generated on a school's machine: C.UTF-8 with LANGUAGE set makes
  // the catalogue apply either way.
  const char* messages = std::setlocale(LC_MESSAGES, nullptr);
  if (g_language != "en" && messages && (std::string_view(messages) == "C" || std::string_view(messages) == "POSIX"))
    std::setlocale(LC_MESSAGES, "C.UTF-8");
  setenv("LANGUAGE", g_language.c_str(), 1);

  bindtextdomain(k_text_domain, catalogue_dir(g_language).c_str());
  bind_textdomain_codeset(k_text_domain, "UTF-8");
  return g_language;
}

// glibc's counter of loaded catalogues: raising it makes gettext forget the
// translations it has looked up (GNU gettext's manual, "Being a gettext
// grok"), so a change of LANGUAGE applies to the next lookup.
extern "C" int _nl_msg_cat_cntr;

void use_message_language(const std::string& language) {
  auto wanted = language == "ru" ? std::string("ru") : std::string("en");
  if (wanted == g_language) return;
  g_language = wanted;
  const char* messages = std::setlocale(LC_MESSAGES, nullptr);
  if (g_language != "en" && messages && (std::string_view(messages) == "C" || std::string_view(messages) == "POSIX"))
    std::setlocale(LC_MESSAGES, "C.UTF-8");
  setenv("LANGUAGE", g_language.c_str(), 1);
  bindtextdomain(k_text_domain, catalogue_dir(g_language).c_str());
  ++_nl_msg_cat_cntr;
}

MessageLanguage::MessageLanguage(const std::string& language) : m_previous(g_language) {
  use_message_language(language);
}

MessageLanguage::~MessageLanguage() {
  use_message_language(m_previous);
}

}  // namespace setevoe::core
