package io.tl4j.core.data;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Checks the class names of a data set or a report: present, not empty, no null, no duplicate. */
public final class ClassNames {

    private ClassNames() {}

    /**
     * Returns an immutable copy of class names after checking them.
     *
     * @param classNames the names, in label order
     * @return the checked copy
     * @throws IllegalArgumentException naming the problem when the list is empty, holds null or repeats a name
     */
    public static List<String> check(List<String> classNames) {
        Objects.requireNonNull(classNames, "classNames");
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException("class names are empty");
        }
        Set<String> seen = new HashSet<>();
        for (String name : classNames) {
            if (name == null) {
                throw new IllegalArgumentException("class names contain null: " + classNames);
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("duplicate class name '" + name + "' in " + classNames);
            }
        }
        return List.copyOf(classNames);
    }
}
