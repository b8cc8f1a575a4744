// Message translation through gettext. Every message meant for people is
// written in English in the source and wrapped in tr(); the catalogues in
// po/ translate it. init_messages() picks the language from the locale.
#pragma once

#include <fmt/format.h>

#include <string>

namespace setevoe::core {

// The text domain of setevoe's catalogues.
inline constexpr const char* k_text_domain = "setevoe";

// Marks a message id for extraction (xgettext -kN_) where it is stored in a
// table and translated later with tr().
#define N_(msgid) msgid

// Translates a message id with the current catalogue; returns the id itself
// when no translation is known.
const char* tr(const char* msgid);

// Translates a msgid in a context, for the English words that need two
// Russian ones: trc("count", "Published") «Опубликовано» as a column of
// counts, beside tr("Published") «Опубликован» as a column of dates.
const char* trc(const char* context, const char* msgid);

// Translates then formats: trf("no record {}", id).
template <typename... Args>
std::string trf(const char* msgid, Args&&... args) {
  return fmt::format(fmt::runtime(tr(msgid)), std::forward<Args>(args)...);
}

// Chooses the message language from LANGUAGE, LC_ALL, LC_MESSAGES and LANG
// (the first that is set) and binds the catalogues found in, in order:
// $SETEVOE_LOCALEDIR, <dir of the executable>/locale (a build tree),
// <dir of the executable>/../share/locale, and the install prefix. Works even
// when the chosen locale is not generated on the machine. Returns the
// language chosen ("ru" or "en").
std::string init_messages();

// The language chosen by init_messages() ("en" before it is called).
const std::string& message_language();

// Switches the messages to "ru" or "en" (anything else is "en") for what
// follows, whatever the locale: reports are written in Russian also from a
// cron job that runs under the C locale.
void use_message_language(const std::string& language);

// The language switched for a scope and switched back at its end.
class MessageLanguage {
 public:
  explicit MessageLanguage(const std::string& language);
  ~MessageLanguage();
  MessageLanguage(const MessageLanguage&) = delete;
  MessageLanguage& operator=(const MessageLanguage&) = delete;

 private:
  std::string m_previous;
};

}  // namespace setevoe::core
