package io.tl4j.nlp.zeroshot;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The classes of a zero-shot classifier, in label order, each described by one or more texts: its
 * name, a sentence, or several phrasings whose embeddings are averaged (a prompt ensemble). Names
 * and descriptions are checked: at least two classes, no blank or repeated name, no blank
 * description, and no description given twice, since a shared description makes two classes
 * indistinguishable.
 *
 * <pre>{@code
 * ClassDescriptions classes = ClassDescriptions.builder()
 *         .add("ham", "an e-mail from a colleague, a friend or a mailing list")
 *         .add("spam", "an unsolicited commercial e-mail: an offer, an advertisement or a scam")
 *         .build();
 * }</pre>
 */
public final class ClassDescriptions {

    private final Map<String, List<String>> byClass;

    private ClassDescriptions(Map<String, List<String>> byClass) {
        this.byClass = byClass;
    }

    /** Returns an empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Describes each class by its own name.
     *
     * @param classNames the class names, in label order
     * @return the descriptions
     * @throws IllegalArgumentException for fewer than two, blank or repeated names
     */
    public static ClassDescriptions ofNames(List<String> classNames) {
        Builder builder = builder();
        classNames.forEach(name -> builder.add(name, name));
        return builder.build();
    }

    /** Returns the class names, in label order. */
    public List<String> classNames() {
        return List.copyOf(byClass.keySet());
    }

    /**
     * Returns the descriptions of a class.
     *
     * @param className a class name
     * @return its descriptions, in the order given
     * @throws IllegalArgumentException for an unknown class
     */
    public List<String> descriptions(String className) {
        List<String> descriptions = byClass.get(className);
        if (descriptions == null) {
            throw new IllegalArgumentException("No class '" + className + "'; have " + byClass.keySet());
        }
        return descriptions;
    }

    /** Collects classes and their descriptions. */
    public static final class Builder {

        private final Map<String, List<String>> byClass = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Adds a class with one or more descriptions.
         *
         * @param className the class name, used as the label name
         * @param descriptions one or more texts describing the class
         * @return this builder
         * @throws IllegalArgumentException for a blank or repeated name, no description, or a
         *     blank one
         */
        public Builder add(String className, String... descriptions) {
            if (className == null || className.isBlank()) {
                throw new IllegalArgumentException("A class name is blank (class " + byClass.size() + ")");
            }
            if (byClass.containsKey(className)) {
                throw new IllegalArgumentException("Class '" + className + "' is given twice");
            }
            if (descriptions.length == 0) {
                throw new IllegalArgumentException("Class '" + className + "' has no description");
            }
            List<String> list = new ArrayList<>();
            for (int i = 0; i < descriptions.length; i++) {
                if (descriptions[i] == null || descriptions[i].isBlank()) {
                    throw new IllegalArgumentException("Description " + i + " of class '" + className + "' is empty");
                }
                list.add(descriptions[i].strip());
            }
            byClass.put(className, Collections.unmodifiableList(list));
            return this;
        }

        /**
         * Returns the descriptions.
         *
         * @return the descriptions
         * @throws IllegalArgumentException for fewer than two classes, or a description given to
         *     two classes or twice to one
         */
        public ClassDescriptions build() {
            if (byClass.size() < 2) {
                throw new IllegalArgumentException(
                        "Zero-shot classification needs at least 2 classes; got " + byClass.keySet());
            }
            Map<String, String> owner = new HashMap<>();
            byClass.forEach((name, descriptions) -> {
                for (String description : descriptions) {
                    String previous = owner.putIfAbsent(description.toLowerCase(java.util.Locale.ROOT), name);
                    if (previous != null) {
                        throw new IllegalArgumentException("Description '" + description + "' is given to "
                                + (previous.equals(name)
                                        ? "class '" + name + "' twice"
                                        : "both '" + previous + "' and '" + name + "'"));
                    }
                }
            });
            return new ClassDescriptions(Collections.unmodifiableMap(new LinkedHashMap<>(byClass)));
        }
    }
}
