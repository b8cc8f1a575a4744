#!/usr/bin/env bash
# Walk-through of setevoe on a fresh, throw-away district (run by `make demo`).
# It shows: the district hub is created; the small district of examples/district.csv
# (Гудермесский район) is imported; the registry is listed, filtered, shown, edited and
# exported; two school nodes join the network by bundles carried on a "USB stick"
# (a folder): enrolment, key approval, the registry sent to the schools, a teacher
# added at a school reaching the hub and the other school (without her contacts),
# a school refused when it tries to appoint an expert, and a concurrent edit of one
# field at a school and at the hub, resolved the same on both and kept in the
# conflict log; the database is checked and backed up.
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
mkdir -p "$DIR/usb"
touch "$DIR/$MARK"

# Russian messages when the catalogue is installed; English otherwise.
export LANGUAGE=ru
hub() { "$SETEVOE" --db "$DIR/hub.db" "$@"; }
school() { "$SETEVOE" --db "$DIR/school.db" "$@"; }
school2() { "$SETEVOE" --db "$DIR/school2.db" "$@"; }
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

step "13. Узел школы «СОШ № 1 г. Гудермес»: запрос на вступление в сеть"
school init --name "МБОУ «СОШ № 1 г. Гудермес»"
school bundle pack --to hub -o "$DIR/usb/sch1-to-hub-1.zip"
unzip -l "$DIR/usb/sch1-to-hub-1.zip"

step "14. Район: пакет от неизвестной школы не принимается, пока ключ не подтверждён"
hub bundle inspect "$DIR/usb/sch1-to-hub-1.zip"
rc=0
hub bundle merge "$DIR/usb/sch1-to-hub-1.zip" || rc=$?
echo "(код выхода $rc: сначала сверить отпечаток ключа со школой по телефону)"
hub node approve "МБОУ «СОШ № 1 г. Гудермес»"
hub bundle merge "$DIR/usb/sch1-to-hub-1.zip"
hub node list

step "15. Район отправляет школе весь реестр; школа его принимает"
hub bundle pack --to "МБОУ «СОШ № 1 г. Гудермес»" -o "$DIR/usb/hub-to-sch1-1.zip"
school bundle merge "$DIR/usb/hub-to-sch1-1.zip"
school member list --kind school

step "16. Школа вносит своего учителя и отправляет изменения району"
school member add person --name "Гериханова Седа Ибрагимовна" --org "СОШ № 1 Гудермес" \
  --position "учитель информатики" --email "gerikhanova.si@sch1-gudermes.example.ru"
school bundle pack --to hub -o "$DIR/usb/sch1-to-hub-2.zip"
hub bundle merge "$DIR/usb/sch1-to-hub-2.zip"
hub member show "Гериханова Седа Ибрагимовна"

step "17. Школа пытается назначить эксперта"
rc=0
school member expert "Гериханова Седа Ибрагимовна" --direction technology || rc=$?
if [ "$rc" -eq 77 ]; then
  echo "(как и положено: назначать экспертов может только район; код выхода 77)"
else
  echo "Неожиданно: код выхода $rc, а должен быть 77." >&2
  exit 1
fi

step "18. Одновременная правка одного поля в школе и в районе"
school member edit "Гериханова Седа Ибрагимовна" --position "учитель информатики и ИКТ"
hub member edit "Гериханова Седа Ибрагимовна" --position "руководитель центра «Точка роста»"
school bundle pack --to hub -o "$DIR/usb/sch1-to-hub-3.zip"
hub bundle pack --to "МБОУ «СОШ № 1 г. Гудермес»" -o "$DIR/usb/hub-to-sch1-2.zip"
hub bundle merge "$DIR/usb/sch1-to-hub-3.zip"
school bundle merge "$DIR/usb/hub-to-sch1-2.zip"
echo "Должность в районе: $(hub --format csv member show "Гериханова Седа Ибрагимовна" | tail -1 | awk -F, '{print $NF}')"
echo "Должность в школе:  $(school --format csv member show "Гериханова Седа Ибрагимовна" | tail -1 | awk -F, '{print $NF}')"
hub bundle conflicts

step "19. Вторая школа: вступает в сеть и получает реестр с учителем первой школы"
school2 init --name "МБОУ «Брагунская СОШ»"
school2 bundle pack --to hub -o "$DIR/usb/brag-to-hub-1.zip"
hub bundle merge --approve "$DIR/usb/brag-to-hub-1.zip"
hub bundle pack --to "МБОУ «Брагунская СОШ»" -o "$DIR/usb/hub-to-brag-1.zip"
school2 bundle merge "$DIR/usb/hub-to-brag-1.zip"
school2 member show "Гериханова Седа Ибрагимовна"
echo "(электронной почты учителя другой школы здесь нет: контактные данные идут только между школой и районом)"

step "20. Журнал обмена района"
hub bundle log
hub node list

step "21. Проверка базы района"
hub db check

step "22. Резервная копия базы района"
hub db backup "$DIR/hub-backup.db"

step "23. Состояние узла после всех шагов"
hub status

printf '\nГотово. Все файлы примера лежат в %s\n' "$DIR"
