#!/usr/bin/env bash
# Walk-through of setevoe on a fresh, throw-away district (run by `make demo`).
# It shows: the district hub is created; the small district of examples/district.csv
# (Гудермесский район) is imported; the registry is listed, filtered, shown, edited and
# exported; a school node is created and is refused when it tries to appoint an expert
# (only the hub may); the database is checked and backed up.
#
# Usage: bash examples/demo.sh PATH/TO/setevoe DIR
#   DIR is deleted and made again; a DIR that this script did not make is left alone.
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "Использование: bash $0 ПУТЬ/К/setevoe ПАПКА" >&2
  exit 64
fi
SETEVOE=$1
DIR=$2
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CSV="$HERE/district.csv"
MARK=.setevoe-demo

if [ ! -x "$SETEVOE" ]; then
  echo "Программа $SETEVOE не найдена. Соберите её: make build" >&2
  exit 66
fi
if [ -e "$DIR" ] && [ ! -e "$DIR/$MARK" ] && [ -n "$(ls -A "$DIR" 2>/dev/null || echo x)" ]; then
  echo "$DIR уже существует, и это не папка этого примера (в ней нет файла $MARK)." >&2
  echo "Ничего не трогаю. Укажите другую папку или удалите эту сами." >&2
  exit 73
fi
rm -rf "$DIR"
mkdir -p "$DIR"
touch "$DIR/$MARK"

# Russian messages when the catalogue is installed; English otherwise.
export LANGUAGE=ru
hub() { "$SETEVOE" --db "$DIR/hub.db" "$@"; }
school() { "$SETEVOE" --db "$DIR/school.db" "$@"; }
step() { printf '\n== %s ==\n' "$*"; }

TEACHER="Эльмурзаев Аслан Вахаевич"

step "1. Узел района (хаб)"
hub init --hub --name "МУ «Управление образования Гудермесского муниципального района»"

step "2. Состояние узла"
hub status

step "3. Приоритетные направления (п. 2.3 Положения)"
hub direction list

step "4. Импорт реестра района из $(basename "$CSV")"
hub member import "$CSV"

step "5. Весь реестр: организации и люди"
hub member list

step "6. Только методические объединения"
hub member list --kind methodological-association

step "7. Эксперты по направлению «одарённые дети» (gifted)"
hub member list --direction gifted

step "8. Карточка учителя: $TEACHER"
hub member show "$TEACHER"

step "9. Учитель вступает в творческую группу"
hub member join "Петрова Наталья Александровна" "Творческая группа «Одарённые дети»" --role member
hub member list --org "Творческая группа «Одарённые дети»"

step "10. Назначение ещё одного эксперта"
hub member expert "Ибрагимова Малика Адамовна" --direction quality --direction gifted
hub member show "Ибрагимова Малика Адамовна"

step "11. Исправление поля: новая должность"
hub member edit "Петрова Наталья Александровна" --position "заместитель директора по УВР"
hub member show "Петрова Наталья Александровна"

step "12. Выгрузка реестра в CSV"
hub member export --format csv -o "$DIR/registry.csv"
echo "Строк в $DIR/registry.csv: $(wc -l < "$DIR/registry.csv") (первая — заголовок)"

step "13. Узел школы «СОШ № 1 г. Гудермес»"
school init --name "МБОУ «СОШ № 1 г. Гудермес»"
school member add org --kind school --name "МБОУ «СОШ № 1 г. Гудермес»" --short "СОШ № 1 Гудермес"
school member add person --name "Гериханова Седа Ибрагимовна" --org "МБОУ «СОШ № 1 г. Гудермес»" \
  --position "учитель информатики" --email "gerikhanova.si@sch1-gudermes.example.ru"
school member list

step "14. Школа пытается назначить эксперта"
rc=0
school member expert "Гериханова Седа Ибрагимовна" --direction technology || rc=$?
if [ "$rc" -eq 77 ]; then
  echo "(как и положено: назначать экспертов может только район; код выхода 77)"
else
  echo "Неожиданно: код выхода $rc, а должен быть 77." >&2
  exit 1
fi

step "15. Проверка базы района"
hub db check

step "16. Резервная копия базы района"
hub db backup "$DIR/hub-backup.db"

step "17. Состояние узла после всех шагов"
hub status

printf '\nГотово. Все файлы примера лежат в %s\n' "$DIR"
