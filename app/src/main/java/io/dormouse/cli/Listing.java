package io.dormouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A client command that GETs a JSON array and prints it as a table or as JSON. */
abstract class Listing implements Runnable {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    /** The API path to list. */
    abstract String path();

    /** The fields shown as table columns. */
    abstract String[] columns();

    @Override
    public void run() {
        JsonNode rows = client.client(Cli.root(spec)).get(path());
        if (client.json) {
            Output.json(spec.commandLine().getOut(), rows);
        } else {
            // one object (a show command) is a table of one row
            Output.table(spec.commandLine().getOut(), rows.isObject() ? JsonNodeFactory.instance.arrayNode().add(rows) : rows,
                    columns());
        }
    }
}
