# container-lessons: build a Linux container from scratch, one kernel
# feature per lesson. `make help` lists the targets.
LESSONS := $(sort $(wildcard lesson[0-9][0-9]-*))
ROOTFS  := build/rootfs
SOURCES := $(wildcard lesson*/*.c lesson*/*.h lessons/*/*.c lessons/tests/*/*.c)
DIAGRAMS := $(patsubst %.dot,%.svg,$(wildcard lessons/diagrams/*.dot))

help:
	@echo "make lessonNN   build lesson NN (01..$(shell printf %02d $(words $(LESSONS)))) and point ./run at it"
	@echo "                then: sudo ./run [OPTIONS] [--] [COMMAND [ARG...]]"
	@echo "make all        build every lesson and the rootfs"
	@echo "make rootfs     build the busybox root filesystem in $(ROOTFS)"
	@echo "make image      build lesson06's demo image of three layers in build/image"
	@echo "make test       install missing test packages, run every test (as root)"
	@echo "make quick      the same, but only Linux 6.1 x86_64 VMs: a developer's loop"
	@echo "make test-vm    the tests on pure cgroup v2 and full v1 hosts, in qemu;"
	@echo "                KERNEL=5.10|6.1|6.12 ARCH=amd64|arm64 (default 6.1 amd64)"
	@echo "                MODES=\"v2 v1 selftest\" SUITE=host|lab|arch"
	@echo "make test-hosts every VM host make test runs (lessons/tools/vm/hosts.sh)"
	@echo "make escapes    the escape lab (as root): every probe in every lesson,"
	@echo "                OPEN or BLOCKED, as a table (lessons/escapes/matrix)"
	@echo "make bench      start-up of lesson03 and lesson07 against crun, runc,"
	@echo "                bubblewrap (as root; installs them): build/bench/report.md"
	@echo "make deps       install the Debian packages the tests need"
	@echo "make doctor     check this host: root, kernel, namespaces, cgroups, ..."
	@echo "make graph PID=N  draw process N's namespaces beside the host's, its"
	@echo "                cgroups, overlay layers and veth (as root, graphviz):"
	@echo "                build/graph-N.svg and build/graph-N.png"
	@echo "make diagrams   render lessons/diagrams/*.dot, each lesson's picture, to .svg"
	@echo "make exercise LESSON=NN (or make exerciseNN)  a copy of lesson NN in"
	@echo "                exercises/lessonNN with its core functions to write;"
	@echo "                kept if it exists (FORCE=1: start over, the old one saved)"
	@echo "make grade LESSON=NN [DIR=...] [JSON=FILE] (or make gradeNN)  as root:"
	@echo "                the tests of lessons 01..NN against DIR (default the"
	@echo "                exercise), a scorecard by stub, score: P/T"
	@echo "make scores FILES=\"a.json ...\"  a class's JSON grades as one CSV table"
	@echo "                (lessons/docs/teaching.md)"
	@echo "make diffs      regenerate each lesson's diff and the tutorial's copy"
	@echo "                (tutorial.md, lessons/docs/zh-CN/tutorial.md: 中文版)"
	@echo "make sessions [S=NN-NAME]  as root: the tutorial's sessions, each"
	@echo "                lessons/sessions/NN-NAME.cmds recorded in a cgroup v2 VM"
	@echo "                into its .txt (lessons/tools/record.sh); then make diffs"
	@echo "make format     clang-format every C file"
	@echo "make clean      remove what was built"

# lesson03 → lesson03-mount/run, linked as ./run; from lesson03 on with
# the rootfs (the lesson's own Makefile builds it).
lesson%:
	@mkdir -p build && chmod 700 build
	@dir=$$(ls -d lesson$*-* 2>/dev/null | head -n1); \
	if [ -z "$$dir" ]; then echo "no lesson $*: try $(LESSONS)"; exit 2; fi; \
	$(MAKE) -C $$dir && ln -sfn $$dir/run run && \
	echo "./run is $$dir/run: now sudo ./run"

all: $(ROOTFS)/bin/busybox build/image/manifest
	@chmod 700 build
	@for d in $(LESSONS); do $(MAKE) -C $$d run || exit 1; done

rootfs: $(ROOTFS)/bin/busybox

image: build/image/manifest

build/image/manifest: $(ROOTFS)/bin/busybox lessons/rootfs/mkimage.sh
	sh lessons/rootfs/mkimage.sh $(ROOTFS) build/image

# build/ holds what the containers' root writes (the rootfs, layers, upper
# directories): 0700, so that no other user of the host reaches a
# set-user-ID file written there.
$(ROOTFS)/bin/busybox: lessons/rootfs/mkrootfs.sh $(wildcard lessons/rootfs/*.c)
	@mkdir -p build && chmod 700 build
	sh lessons/rootfs/mkrootfs.sh $(ROOTFS)

grade:
	@bash lessons/tools/grade.sh "$(LESSON)" $(DIR) $(if $(JSON),--json $(JSON))

grade%:
	@bash lessons/tools/grade.sh "$*" $(DIR) $(if $(JSON),--json $(JSON))

scores:
	@sh lessons/tools/scores.sh $(FILES)

exercise: $(ROOTFS)/bin/busybox build/image/manifest
	@sh lessons/tools/exercise.sh "$(LESSON)" $(if $(FORCE),--force)

exercise%: $(ROOTFS)/bin/busybox build/image/manifest
	@sh lessons/tools/exercise.sh "$*" $(if $(FORCE),--force)

deps:
	@sh lessons/tools/deps.sh

test:
	@bash lessons/tests/run.sh

quick:
	@bash lessons/tests/run.sh quick

test-vm:
	@KERNEL=$(KERNEL) ARCH=$(ARCH) SUITE=$(SUITE) \
	    bash lessons/tools/vm/vmtest.sh $(or $(MODES),v2 v1 selftest)

test-hosts:
	@bash lessons/tools/vm/hosts.sh

doctor:
	@bash lessons/tools/doctor.sh

# The escape lab: lessons/rootfs/probes.c in a container of every lesson.
escapes:
	@$(MAKE) -s all >/dev/null
	@bash lessons/tests/escapes.sh --table

# The start-up benchmark (lessons/tools/bench.sh): never part of `make test`.
bench:
	@bash lessons/tools/bench.sh

# nsgraph: a running container's namespaces, cgroups, layers and veth,
# as Graphviz DOT, rendered by dot(1).
build/nsgraph: lessons/tools/nsgraph.c
	@mkdir -p build
	$(CC) -O2 -g -std=gnu11 -Wall -Wextra -Werror -o $@ $<

graph: build/nsgraph
	@case "$(PID)" in ''|*[!0-9]*) \
	    echo "usage: make graph PID=N (a container's process; as root)"; exit 2;; esac
	build/nsgraph $(PID) >build/graph-$(PID).dot.tmp || \
	    { rm -f build/graph-$(PID).dot.tmp; exit 1; }
	mv build/graph-$(PID).dot.tmp build/graph-$(PID).dot
	dot -Tsvg -o build/graph-$(PID).svg build/graph-$(PID).dot
	dot -Tpng -o build/graph-$(PID).png build/graph-$(PID).dot
	@echo "build/graph-$(PID).svg and build/graph-$(PID).png"

diagrams: $(DIAGRAMS)

lessons/diagrams/%.svg: lessons/diagrams/%.dot
	dot -Tsvg -o $@ $<

diffs:
	@sh lessons/tools/mkdiffs.sh

# The tutorial's "Try it" sessions, recorded in a VM (lessons/tools/record.sh).
sessions:
	@bash lessons/tools/record.sh $(S)

format:
	clang-format -i $(SOURCES)

clean:
	@for d in $(LESSONS); do $(MAKE) -C $$d clean; done
	rm -rf build run lessons/tests/unit/test_*_lesson*

.PHONY: help all rootfs image exercise grade scores deps test quick test-vm test-hosts doctor diffs sessions format clean bench \
	escapes \
	graph diagrams
