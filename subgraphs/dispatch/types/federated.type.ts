/** The municipalities subgraph's entities as this subgraph sees them: their keys; the fields it adds are in resolvers/. */
import { Directive, Field, ID, ObjectType } from 'type-graphql';

@Directive('@key(fields: "code")')
@ObjectType() // described by its owner, the municipalities subgraph
export class Municipality {
  @Field(() => ID)
  code!: string;
}

@Directive('@key(fields: "code")')
@ObjectType() // described by its owner, the municipalities subgraph
export class Prefecture {
  @Field(() => ID)
  code!: string;
}
